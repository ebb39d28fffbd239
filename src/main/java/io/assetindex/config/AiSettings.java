package io.assetindex.config;

import java.net.URI;

/**
 * AI enrichment: a vision/chat model that describes assets and a speech model that transcribes
 * them, each through an OpenAI-compatible API. Either is off (null) until its model is set.
 *
 * @param describe          where the describing model is, or null when off
 * @param describePrompt    instructions to the describing model, or null for the built-in ones
 * @param imageMaxSide      longest side, in pixels, of the pictures sent (images are downscaled)
 * @param videoFrames       pictures sent for a video: evenly spaced, plus scene changes
 * @param transcribe        where the speech model is, or null when off
 * @param language          the spoken language (ISO 639-1, e.g. "en"), or null to have it detected
 * @param maxUploadBytes    the largest audio upload; longer recordings are sent in parts
 */
public record AiSettings(Service describe, String describePrompt, int imageMaxSide, int videoFrames,
        Service transcribe, String language, long maxUploadBytes) {

    /**
     * One model behind one API.
     *
     * @param apiKeyEnv             the NAME of the environment variable holding the key, or null for none
     * @param maxConcurrentRequests requests in flight at most
     * @param requestsPerMinute     request starts per minute at most
     * @param maxRetries            retries of a request answered 429 or 5xx, or not answered
     */
    public record Service(String model, URI baseUrl, String apiKeyEnv, int timeoutSeconds, int maxConcurrentRequests,
            int requestsPerMinute, int maxRetries) {}

    public boolean enabled() {
        return describe != null || transcribe != null;
    }
}
