package io.assetindex.maintain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.Checksum;

/**
 * JSON Lines read from a stream one line at a time, in bounded memory: a line longer than
 * {@code maxLineBytes} is refused as soon as that many bytes of it were read, so a file without
 * newlines (or a small gzip of one) cannot fill the heap. A line is UTF-8 and holds exactly one
 * JSON value (malformed UTF-8, trailing text and duplicate keys are refused); blank lines are
 * skipped; a "\r" before the "\n" is dropped. Every line's bytes, blank ones too, go to a
 * checksum, so two reads of one file can be compared.
 */
final class JsonLines {
    private final InputStream in;
    private final int maxLineBytes;
    private final ObjectMapper mapper;
    private final Checksum checksum;
    private final byte[] chunk = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private int length;
    private long number;

    /**
     * @param in       read, not closed
     * @param checksum receives every line's bytes and its newline
     */
    JsonLines(InputStream in, int maxLineBytes, Checksum checksum) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.checksum = checksum;
        // A string may be as long as a line (a transcript with its segments); Jackson's default is 20 M chars.
        StreamReadConstraints constraints = StreamReadConstraints.builder().maxStringLength(maxLineBytes)
                .maxDocumentLength(maxLineBytes).build();
        this.mapper = new ObjectMapper(JsonFactory.builder().streamReadConstraints(constraints)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The number of the line last read (1 for the first). */
    long number() {
        return number;
    }

    /** The byte length of the line last read. */
    int lineBytes() {
        return length;
    }

    /**
     * The next non-blank line, parsed, or null at the end.
     *
     * @throws BadLine when the line is too long or not one JSON value
     */
    JsonNode next() throws IOException {
        while (readLine()) {
            if (blank()) {
                continue;
            }
            try {
                return mapper.readTree(line, 0, length);
            } catch (JacksonException e) {
                throw new BadLine(null, "not JSON (" + e.getOriginalMessage() + ")");
            }
        }
        return null;
    }

    private boolean readLine() throws IOException {
        length = 0;
        boolean started = false;
        while (true) {
            if (position == limit) {
                int read = in.read(chunk);
                if (read < 0) {
                    finish(started);
                    return started;
                }
                position = 0;
                limit = read;
            }
            if (!started) {
                started = true;
                number++;
            }
            int start = position;
            while (position < limit && chunk[position] != '\n') {
                position++;
            }
            append(start, position - start);
            if (position < limit) {
                position++; // the newline
                finish(true);
                return true;
            }
        }
    }

    private void append(int start, int count) {
        if ((long) length + count > maxLineBytes) {
            throw new BadLine(null, "longer than " + (maxLineBytes >> 20) + " MiB, the most one line of an export"
                    + " may hold; this is not a file written by 'asset-index export'");
        }
        if (length + count > line.length) {
            byte[] grown = new byte[(int) Math.min(maxLineBytes, Math.max(2L * line.length, length + count))];
            System.arraycopy(line, 0, grown, 0, length);
            line = grown;
        }
        System.arraycopy(chunk, start, line, length, count);
        length += count;
    }

    private void finish(boolean read) {
        if (!read) {
            return;
        }
        checksum.update(line, 0, length);
        checksum.update('\n');
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
    }

    private boolean blank() {
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
