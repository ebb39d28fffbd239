package io.assetindex.testing;

import io.assetindex.store.Vectors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Assets with a vector, written with SQL as another process would write them (the tests of searches that follow the index). */
public final class VectorAssets {
    private VectorAssets() {}

    /** The id of test asset {@code n}. */
    public static String id(int n) {
        return String.format("%064x", n);
    }

    /** An asset, its live path and its vector, as an indexer writes them. */
    public static void insert(Connection c, int n, float[] vector) throws SQLException {
        try (PreparedStatement asset = c.prepareStatement("INSERT INTO assets (id, file_name, file_path, source_root,"
                + " media_type, size_bytes, mtime, indexed_at) VALUES (?, ?, ?, 'raw_assets', 'image', 1, 0,"
                + " '2026-01-01T00:00:00.000Z')");
                PreparedStatement path = c.prepareStatement("INSERT INTO asset_paths (asset_id, source_root, rel_path,"
                        + " abs_path, size_bytes, mtime_ns, first_seen_at, last_seen_at) VALUES (?, 'raw_assets', ?, ?,"
                        + " 1, 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
                PreparedStatement vec = c.prepareStatement("INSERT INTO assets_vec (id, embedding) VALUES (?, ?)")) {
            asset.setString(1, id(n));
            asset.setString(2, "f" + n + ".jpg");
            asset.setString(3, "/m/f" + n + ".jpg");
            asset.executeUpdate();
            path.setString(1, id(n));
            path.setString(2, "f" + n + ".jpg");
            path.setString(3, "/m/f" + n + ".jpg");
            path.executeUpdate();
            vec.setString(1, id(n));
            vec.setBytes(2, Vectors.pack(vector));
            vec.executeUpdate();
        }
    }
}
