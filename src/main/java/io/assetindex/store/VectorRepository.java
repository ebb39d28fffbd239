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
    /**
     * How many times a vector's model is looked up again after another writer made a model at the
     * same moment, before the write is given up as a serialization failure (which the group commit
     * tries again in its next group).
     */
    private static final int MODEL_RACES = 3;

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
        EmbeddingModel target = modelToStoreIn(connection, record, now);
        String table = EmbeddingModel.ACTIVE.equals(target.state()) ? "assets_vec" : "assets_vec_next";
        if (record.vector().length != target.dimension()) {
            throw new IllegalArgumentException("a vector of " + record.vector().length + " dimensions is refused: model "
                    + target.model() + " makes " + target.dimension() + "-dimension vectors in this index");
        }
        // Not INSERT OR REPLACE: the replaced row's delete would not reach the triggers of index_tallies.
        PreparedStatement insert = KeptStatements.prepare(connection, "INSERT INTO " + table + " (id, embedding)"
                + " VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET embedding = excluded.embedding");
        insert.setString(1, assetId);
        insert.setBytes(2, Vectors.pack(record.vector()));
        insert.executeUpdate();
    }

    /**
     * The model a vector of {@code record}'s config goes to, made when the index lacks it: the
     * active one (the first model of an index becomes active), else the one being built, which a
     * model of another config replaces.
     *
     * <p>Several hosts writing one PostgreSQL index store their first vectors at the same moment.
     * The one whose model row loses the race does not fail: its insert waits for the winner's
     * transaction, then does nothing, and the model is read again (the winner's, now committed).
     */
    private EmbeddingModel modelToStoreIn(Connection connection, VectorRecord record, Instant now)
            throws SQLException {
        for (int race = 0; ; race++) {
            Optional<EmbeddingModel> active = model(connection, EmbeddingModel.ACTIVE);
            Optional<EmbeddingModel> made;
            if (active.isEmpty()) {
                made = insertModel(connection, record, EmbeddingModel.ACTIVE, now);
            } else if (active.get().configHash().equals(record.configHash())) {
                return active.get();
            } else {
                Optional<EmbeddingModel> building = model(connection, EmbeddingModel.BUILDING);
                if (building.isPresent() && building.get().configHash().equals(record.configHash())) {
                    return building.get();
                }
                dropBuilding(connection);
                made = insertModel(connection, record, EmbeddingModel.BUILDING, now);
            }
            if (made.isPresent()) {
                return made.get();
            }
            if (race >= MODEL_RACES) {
                throw new SQLException("the embedding model of " + record.model() + " kept being changed by another"
                        + " writer", "40001");
            }
        }
    }

    /** Makes a model; empty when another writer made one of this config or in this state meanwhile. */
    private Optional<EmbeddingModel> insertModel(Connection connection, VectorRecord record, String state,
            Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO embedding_models (config_hash, model,"
                + " dimension, identity_json, state, created_at, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            insert.setString(1, record.configHash());
            insert.setString(2, record.model());
            insert.setInt(3, record.vector().length);
            insert.setString(4, record.identityJson());
            insert.setString(5, state);
            insert.setString(6, Timestamps.stored(now));
            insert.setString(7, EmbeddingModel.ACTIVE.equals(state) ? Timestamps.stored(now) : null);
            if (insert.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new EmbeddingModel(record.configHash(), record.model(), record.vector().length,
                record.identityJson(), state));
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

    /** The active model's vector count, then the one being built's (counted in index_tallies). */
    List<IndexCounts.ModelVectors> counts(Connection connection, IndexTallies.Totals totals) throws SQLException {
        List<IndexCounts.ModelVectors> counts = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT model, dimension, state FROM embedding_models"
                + " ORDER BY state");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                String state = rs.getString(3);
                counts.add(new IndexCounts.ModelVectors(rs.getString(1), rs.getInt(2), state,
                        EmbeddingModel.ACTIVE.equals(state) ? totals.activeVectors() : totals.buildingVectors()));
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
