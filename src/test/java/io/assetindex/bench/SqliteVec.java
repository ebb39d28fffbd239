package io.assetindex.bench;

import io.assetindex.search.VectorIndex.Hit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * sqlite-vec's {@code vec0}, the reference the vector search benchmarks compare with: installed with
 * npm for a run (it is not part of the project), loaded into SQLite connections, and queried with
 * its KNN query ({@code WHERE embedding MATCH ? AND k = ?}), an exact brute-force scan.
 */
final class SqliteVec {
    static final String PACKAGE = "sqlite-vec@0.1.9";
    private static final String KNN =
            "SELECT rowid, distance FROM vec_items WHERE embedding MATCH ? AND k = ? ORDER BY distance";

    /** sqlite-vec cannot be had or loaded: one line says why. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private SqliteVec() {}

    /** A connection to {@code url} with the vec0 library loaded. */
    static Connection open(Path library, String url) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.enableLoadExtension(true);
        Connection connection = DriverManager.getConnection(url, config.toProperties());
        try (PreparedStatement load = connection.prepareStatement("SELECT load_extension(?)")) {
            load.setString(1, library.toString());
            load.executeQuery().close();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    static String version(Path library) throws Unavailable {
        try (Connection sqlite = open(library, "jdbc:sqlite::memory:");
                Statement statement = sqlite.createStatement();
                ResultSet row = statement.executeQuery("SELECT vec_version()")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new Unavailable("cannot load sqlite-vec from " + library + ": " + e.getMessage());
        }
    }

    /** The KNN statement on {@code vec_items}. */
    static PreparedStatement knn(Connection connection) throws SQLException {
        return connection.prepareStatement(KNN);
    }

    /** The {@code k} nearest rows to the packed float32 query, nearest first, each named by {@code idOf(rowid)}. */
    static List<Hit> search(PreparedStatement knn, byte[] query, int k, LongFunction<String> idOf) throws SQLException {
        knn.setBytes(1, query);
        knn.setInt(2, k);
        List<Hit> hits = new ArrayList<>(k);
        try (ResultSet rows = knn.executeQuery()) {
            while (rows.next()) {
                hits.add(new Hit(idOf.apply(rows.getLong(1)), rows.getDouble(2)));
            }
        }
        return hits;
    }

    /** Runs {@code npm install} into {@code folder} and returns the vec0 library it brought. */
    static Path install(Path folder) throws IOException, InterruptedException, Unavailable {
        System.out.printf("installing %s with npm into %s%n", PACKAGE, folder);
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "install", "--prefix", folder.toString(), "--no-audit", "--no-fund",
                    PACKAGE).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new Unavailable("npm not found (" + e.getMessage() + "): install Node.js, or pass"
                    + " --sqlite-vec /path/to/vec0.so");
        }
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = npm.waitFor();
        if (exit != 0) {
            String last = output.strip().lines().reduce((a, b) -> b).orElse("");
            throw new Unavailable("'npm install " + PACKAGE + "' exited with " + exit + ": " + last);
        }
        Optional<Path> library;
        try (Stream<Path> files = Files.walk(folder.resolve("node_modules"))) {
            library = files.filter(file -> {
                String name = file.getFileName().toString();
                return name.equals("vec0.so") || name.equals("vec0.dylib");
            }).findFirst();
        }
        return library.orElseThrow(() -> new Unavailable("npm installed " + PACKAGE + " but no vec0.so"
                + " or vec0.dylib for this platform is under " + folder.resolve("node_modules")));
    }
}
