package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for the vectors: {@code assets_vec} (the active model's, searched), {@code assets_vec_next}
 * (a new model's, while it is built) and {@code embedding_models} (name and dimension of each).
 * One model's vectors per table; a vector of another dimension than its model's is refused.
 */
final class VectorRepository {

    Optional<EmbeddingModel> model(Connection connection, String state) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT config_hash, model, dimension, identity_json,"
                + " state FROM embedding_models WHERE state = ?")) {
            query.setString(1, state);
            return single(query);
        }
    }

    private static Optional<EmbeddingModel> single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            return rs.next() ? Optional.of(new EmbeddingModel(rs.getString(1), rs.getString(2), rs.getInt(3),
                    rs.getString(4), rs.getString(5))) : Optional.empty();
        }
    }

    /** The model a vector of this config goes to, if the index has one yet (active or being built). */
    Optional<EmbeddingModel> modelFor(Connection connection, String configHash) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT config_hash, model, dimension, identity_json,"
                + " state FROM embedding_models WHERE config_hash = ?")) {
            query.setString(1, configHash);
            return single(query);
        }
    }

    /**
     * Stores an asset's vector: in assets_vec if its model is the active one (or there is none
     * yet, and it becomes active), else in assets_vec_next, for the model being built (a
     * different model replaces the one that was being built).
     *
     * @throws IllegalArgumentException for a vector whose dimension differs from its model's
     */
    void store(Connection connection, String assetId, VectorRecord record, Instant now) throws SQLException {
        Optional<EmbeddingModel> active = model(connection, EmbeddingModel.ACTIVE);
        String table;
        EmbeddingModel target;
        if (active.isEmpty()) {
            target = insertModel(connection, record, EmbeddingModel.ACTIVE, now);
            table = "assets_vec";
        } else if (active.get().configHash().equals(record.configHash())) {
            target = active.get();
            table = "assets_vec";
        } else {
            Optional<EmbeddingModel> building = model(connection, EmbeddingModel.BUILDING);
            if (building.isPresent() && building.get().configHash().equals(record.configHash())) {
                target = building.get();
            } else {
                dropBuilding(connection);
                target = insertModel(connection, record, EmbeddingModel.BUILDING, now);
            }
            table = "assets_vec_next";
        }
        if (record.vector().length != target.dimension()) {
            throw new IllegalArgumentException("a vector of " + record.vector().length + " dimensions is refused: model "
                    + target.model() + " makes " + target.dimension() + "-dimension vectors in this index");
        }
        Dialect dialect = Dialect.of(connection);
        PreparedStatement insert = KeptStatements.prepare(connection, dialect.replaceInto(table, "id, embedding")
                + " VALUES (?, ?)" + dialect.replaceConflict("id", "embedding"));
        insert.setString(1, assetId);
        insert.setBytes(2, Vectors.pack(record.vector()));
        insert.executeUpdate();
    }

    private EmbeddingModel insertModel(Connection connection, VectorRecord record, String state, Instant now)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO embedding_models (config_hash, model,"
                + " dimension, identity_json, state, created_at, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, record.configHash());
            insert.setString(2, record.model());
            insert.setInt(3, record.vector().length);
            insert.setString(4, record.identityJson());
            insert.setString(5, state);
            insert.setString(6, Timestamps.stored(now));
            insert.setString(7, EmbeddingModel.ACTIVE.equals(state) ? Timestamps.stored(now) : null);
            insert.executeUpdate();
        }
        return new EmbeddingModel(record.configHash(), record.model(), record.vector().length, record.identityJson(), state);
    }

    private static void dropBuilding(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM assets_vec_next");
            statement.execute("DELETE FROM embedding_models WHERE state = 'building'");
        }
    }

    /** Makes the model being built the active one: its vectors replace the old model's, at once. */
    void promote(Connection connection, String configHash, Instant now) throws SQLException {
        Optional<EmbeddingModel> building = model(connection, EmbeddingModel.BUILDING);
        if (building.isEmpty() || !building.get().configHash().equals(configHash)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM assets_vec");
            statement.execute("INSERT INTO assets_vec (id, embedding) SELECT id, embedding FROM assets_vec_next");
            statement.execute("DELETE FROM assets_vec_next");
            statement.execute("DELETE FROM embedding_models WHERE state = 'active'");
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE embedding_models SET state = 'active', activated_at = ? WHERE config_hash = ?")) {
            update.setString(1, Timestamps.stored(now));
            update.setString(2, configHash);
            update.executeUpdate();
        }
    }

    /** The active model's vector count, then the one being built's. */
    List<IndexCounts.ModelVectors> counts(Connection connection) throws SQLException {
        List<IndexCounts.ModelVectors> counts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT model, dimension, state,"
                + " CASE state WHEN 'active' THEN (SELECT count(*) FROM assets_vec)"
                + " ELSE (SELECT count(*) FROM assets_vec_next) END FROM embedding_models ORDER BY state");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                counts.add(new IndexCounts.ModelVectors(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4)));
            }
        }
        return counts;
    }

    Optional<float[]> activeVector(Connection connection, String assetId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT embedding FROM assets_vec WHERE id = ?")) {
            query.setString(1, assetId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(Vectors.unpack(rs.getBytes(1))) : Optional.empty();
            }
        }
    }
}
