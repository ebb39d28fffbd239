package io.assetindex.media.audio;

import java.util.List;
import java.util.Map;

/**
 * What the in-process reader found in an audio file, named as ffprobe names it, and what it
 * verified of the whole stream.
 *
 * @param container  ffprobe's {@code format_name} ("wav", "aiff", "flac", "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2")
 * @param codec      ffprobe's {@code codec_name} ("pcm_s16le", "flac", "mp3", "vorbis", "opus", "aac" ...)
 * @param micros     the duration in microseconds, as ffprobe computes it
 * @param bitRate    the container's bit rate as ffprobe reports it (0: none)
 * @param tags       tags by ffprobe's names (title, artist, album, genre, album_artist, date), not blank
 * @param warnings   what ffprobe would print as warnings for this file (e.g. a duration estimated from the bit rate)
 * @param tool       what verified the stream, for the integrity verdict ("WAV structure", "FLAC frames + CRC" ...)
 * @param readMs     how long reading and verifying took
 */
public record HeaderFacts(String container, String codec, int sampleRate, int channels, long micros, long bitRate,
        Map<String, String> tags, List<String> warnings, String tool, long readMs) {

    public double durationSeconds() {
        return Timing.seconds(micros);
    }

    HeaderFacts withReadMs(long ms) {
        return new HeaderFacts(container, codec, sampleRate, channels, micros, bitRate, tags, warnings, tool, ms);
    }
}
