package io.assetindex.query;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What can be asked of an index: the documents of {@code status}, {@code search},
 * {@code similar}, {@code list}, {@code show}, {@code log}, {@code failures}, {@code integrity},
 * {@code history} and {@code folders},
 * exactly as their {@code --json} prints them and the API answers them. Answered in this
 * process ({@link LocalQueries}) or by the running daemon over HTTP; the CLI prints its text
 * from the document either way, so the output does not depend on where the answer came from.
 */
public interface Queries extends AutoCloseable {

    JsonNode status() throws QueryException;

    JsonNode search(SearchQuery query) throws QueryException;

    JsonNode similar(SimilarQuery query) throws QueryException;

    JsonNode list(ListQuery query) throws QueryException;

    /** One asset by its id, or a unique prefix of at least 6 characters of it. */
    JsonNode show(String id) throws QueryException;

    JsonNode log(LogQuery query) throws QueryException;

    /** The files whose last attempt failed, newest failure first, with how many there are. */
    JsonNode failures(FailuresQuery query) throws QueryException;

    /** The files judged corrupt and the assets with warnings, with how many of each there are. */
    JsonNode integrity(IntegrityQuery query) throws QueryException;

    /** A page of the scan history (scans, rescans, verifications), newest first, with how many runs there are. */
    JsonNode history(HistoryQuery query) throws QueryException;

    /** The folders one level below a folder of a watch path with their asset counts, or the watch paths themselves. */
    JsonNode folders(FolderQuery query) throws QueryException;

    @Override
    void close();
}
