package io.assetindex.media.audio;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audio facts read in this process, for the common formats, where ffprobe would cost a process
 * per file: the same facts ffprobe gives, or nothing.
 *
 * <p>Guarantees: a file is recognised by its content, as ffprobe does (not by its name). A result
 * is given only when the reader can vouch that ffprobe would report the same container, codec,
 * sample rate, channels, duration, bit rate and kept tags, and that the stream is whole (the
 * check ffprobe makes when it reads every packet, or a stronger one); then ffprobe would have
 * reported nothing else either. Anything it does not know or that does not add up (another
 * codec, a header that disagrees with the file, a cut file, a damaged frame) gives
 * {@link Optional#empty()}: ffprobe reads that file, exactly as before, and its verdict stands.
 * Reads are bounded by the file's size and {@link FileBytes#MAX_READ_BYTES}; nothing is
 * allocated for a length a file declares before it is checked.
 */
public final class AudioHeaders {
    private static final Logger LOG = LoggerFactory.getLogger(AudioHeaders.class);

    private AudioHeaders() {}

    public static Optional<HeaderFacts> read(Path file) {
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileBytes bytes = new FileBytes(channel);
            byte[] head = bytes.bytes(0, (int) Math.min(bytes.size(), 16));
            HeaderFacts facts;
            if (WavHeader.matches(head)) {
                facts = WavHeader.read(bytes);
            } else if (AiffHeader.matches(head)) {
                facts = AiffHeader.read(bytes);
            } else if (FlacStream.matches(head)) {
                facts = FlacStream.read(bytes);
            } else if (Mp3Stream.matches(head)) {
                facts = Mp3Stream.read(bytes);
            } else if (OggStream.matches(head)) {
                facts = OggStream.read(bytes);
            } else {
                return Optional.empty();
            }
            return Optional.of(facts.withReadMs((System.nanoTime() - start) / 1_000_000));
        } catch (Unsure e) {
            LOG.debug("ffprobe reads {}: {}", file, e.getMessage());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("ffprobe reads {}: {}", file, e.toString());
            return Optional.empty();
        }
    }
}
