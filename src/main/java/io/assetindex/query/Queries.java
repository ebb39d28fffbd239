package io.assetindex.query;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What can be asked of an index: the documents of {@code status}, {@code search},
 * {@code similar}, {@code list}, {@code show} and {@code log}, exactly as their {@code --json}
 * prints them and the API answers them. Answered in this process ({@link LocalQueries}) or by
 * the running daemon over HTTP; the CLI prints its text from the document either way, so the
 * output does not depend on where the answer came from.
 */
public interface Queries extends AutoCloseable {

    JsonNode status() throws QueryException;

    JsonNode search(SearchQuery query) throws QueryException;

    JsonNode similar(SimilarQuery query) throws QueryException;

    JsonNode list(ListQuery query) throws QueryException;

    /** One asset by its id, or a unique prefix of at least 6 characters of it. */
    JsonNode show(String id) throws QueryException;

    JsonNode log(LogQuery query) throws QueryException;

    @Override
    void close();
}
