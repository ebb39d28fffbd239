package io.assetindex.ai;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The retries of one API's requests, for watcher.err.log, without flooding it (the policy of
 * {@link io.assetindex.log.ProblemLog}, with each line's details). A retry is a WARN line
 * naming the endpoint and model, the problem, the retry's number and the wait, when its problem
 * (HTTP 429, HTTP 503, a timeout ...) was not logged in the last {@link #REMINDER}; other
 * retries are counted into the next line of that problem. So a storm of 429s, however many
 * requests it hits, gives one line per problem per {@link #REMINDER}. The first request answered
 * after logged retries says so at INFO. Lines carry no key: the URL holds no secret (the config
 * refuses one that does) and the problem texts come from statuses and exceptions. Thread-safe.
 */
final class RetryLog {
    static final Duration REMINDER = Duration.ofMinutes(10);
    /** Problems remembered at most; more (varying exception messages) start the memory afresh. */
    private static final int MAX_PROBLEMS = 32;

    private final Logger log;
    private final Clock clock;
    private final String endpoint;
    private final Map<String, Logged> logged = new HashMap<>();
    private boolean retriesLoggedSinceAnswer;

    private static final class Logged {
        Instant at;
        long unlogged;

        Logged(Instant at) {
            this.at = at;
        }
    }

    /** @param endpoint what the lines start with, e.g. "[ai.describe] describe request to URL (model m)" */
    RetryLog(Logger log, Clock clock, String endpoint) {
        this.log = log;
        this.clock = clock;
        this.endpoint = endpoint;
    }

    /** A request is retried: its {@code retry}th retry of at most {@code maxRetries}, after {@code wait}. */
    synchronized void retrying(String problem, int retry, int maxRetries, Duration wait) {
        Instant now = clock.instant();
        Logged last = logged.get(problem);
        if (last != null && Duration.between(last.at, now).compareTo(REMINDER) < 0) {
            last.unlogged++;
            log.debug("{}: {}; retry {} of {} in {}", endpoint, problem, retry, maxRetries, seconds(wait));
            return;
        }
        String since = last == null || last.unlogged == 0 ? "" : " (again, " + last.unlogged + " retries since "
                + DateTimeFormatter.ISO_LOCAL_TIME.format(last.at.atZone(ZoneId.systemDefault()).toLocalTime()
                        .truncatedTo(ChronoUnit.SECONDS)) + ")";
        log.warn("{}: {}; retry {} of {} in {}{}", endpoint, problem, retry, maxRetries, seconds(wait), since);
        if (last == null && logged.size() >= MAX_PROBLEMS) {
            logged.clear();
        }
        logged.put(problem, new Logged(now));
        retriesLoggedSinceAnswer = true;
    }

    /** A request was answered: said once after retries were logged. */
    synchronized void answered() {
        if (retriesLoggedSinceAnswer) {
            retriesLoggedSinceAnswer = false;
            log.info("{} answered again", endpoint);
        }
    }

    private static String seconds(Duration wait) {
        long millis = wait.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
