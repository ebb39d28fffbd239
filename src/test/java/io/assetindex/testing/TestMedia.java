package io.assetindex.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Real media files for tests: images and WAV audio generated with the JDK, and tiny video and
 * audio files kept under src/test/resources/media (made with ffmpeg; see the README there).
 * Different seeds give different content.
 */
public final class TestMedia {
    private TestMedia() {}

    /** An image in {@code format} ("jpg", "png", "gif", "tiff", "bmp") of the given size. */
    public static Path image(Path file, String format, int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0xffffff)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(random.nextInt(0xffffff)));
        g.fillOval(random.nextInt(Math.max(1, width / 2)), random.nextInt(Math.max(1, height / 2)), width / 2 + 1,
                height / 2 + 1);
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The bytes of a small JPEG, different for every seed. */
    public static byte[] jpegBytes(int width, int height, long seed) {
        try {
            Path temp = Files.createTempFile("test-media", ".jpg");
            try {
                return Files.readAllBytes(jpeg(temp, width, height, seed));
            } finally {
                Files.delete(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path jpeg(Path file, int width, int height, long seed) {
        return image(file, "jpg", width, height, seed);
    }

    /** A mono 16-bit WAV file with a tone whose pitch depends on the seed; different seeds, different bytes. */
    public static Path wav(Path file, double seconds, long seed) {
        float sampleRate = 8000;
        int samples = (int) (seconds * sampleRate);
        byte[] pcm = new byte[samples * 2];
        double hz = 220 + (seed % 50) * 10;
        for (int i = 0; i < samples; i++) {
            short value = (short) (Math.sin(2 * Math.PI * hz * i / sampleRate) * 8000);
            pcm[2 * i] = (byte) value;
            pcm[2 * i + 1] = (byte) (value >> 8);
        }
        for (int i = 0; i < Math.min(8, pcm.length); i++) {
            pcm[i] = (byte) (seed >>> (8 * i)); // a few inaudible samples that make every seed's bytes unique
        }
        AudioFormat format = new AudioFormat(sampleRate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, samples)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A copy of a fixture from src/test/resources/media: clip.mp4 (64×48, 1 s, H.264 + AAC),
     * clip.mov, clip.mkv, clip.webm, tone.mp3, tone.m4a, tone.flac, tone.ogg, still.webp, still.heic.
     */
    public static Path fixture(String name, Path file) {
        try (InputStream in = TestMedia.class.getResourceAsStream("/media/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path randomBytes(Path file, int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return write(file, bytes);
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
