package io.assetindex.media.audio;

/**
 * The in-process reader cannot vouch for what ffprobe would say of this file (a codec it does not
 * know, a header that does not add up, anything odd): ffprobe reads it instead. Not an error.
 */
final class Unsure extends Exception {
    private static final long serialVersionUID = 1L;

    Unsure(String why) {
        super(why, null, false, false);
    }
}
