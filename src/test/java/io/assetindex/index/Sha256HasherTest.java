package io.assetindex.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256HasherTest {
    @TempDir
    Path dir;

    private final Sha256Hasher hasher = new Sha256Hasher();

    @Test
    void hashesTheStandardTestVector() throws Exception {
        Path file = Files.writeString(dir.resolve("abc"), "abc");
        assertThat(hasher.hash(file)).isEqualTo(new Hasher.Result(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3));
    }

    @Test
    void hashOfAFileLargerThanTheBufferMatchesTheDigestOfItsBytes() throws Exception {
        int size = Sha256Hasher.BUFFER_BYTES * 3 + 12345;
        Path file = TestMedia.randomBytes(dir.resolve("big.bin"), size, 7);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(hasher.hash(file)).isEqualTo(new Hasher.Result(expected, size));
    }

    @Test
    void reusesItsBufferAcrossFilesWithoutMixingThem() throws Exception {
        Path big = TestMedia.randomBytes(dir.resolve("big.bin"), Sha256Hasher.BUFFER_BYTES + 1, 1);
        Path small = Files.writeString(dir.resolve("abc"), "abc");
        hasher.hash(big);
        assertThat(hasher.hash(small).sha256()).startsWith("ba7816bf");
    }

    @Test
    void missingFileThrowsNoSuchFile() {
        assertThatThrownBy(() -> hasher.hash(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class);
    }
}
