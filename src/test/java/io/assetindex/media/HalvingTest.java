package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HalvingTest {

    private static BufferedImage noise(int type, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, type);
        Random random = new Random(type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    /** What the thumbnailer drew before: bilinear at half size, onto white. */
    private static BufferedImage drawnAtHalf(BufferedImage image) {
        BufferedImage half = new BufferedImage(image.getWidth() / 2, image.getHeight() / 2, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = half.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, half.getWidth(), half.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(image, 0, 0, half.getWidth(), half.getHeight(), null);
        g.dispose();
        return half;
    }

    @ParameterizedTest(name = "image type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB})
    void halvesADecodedPictureToThePixelsBilinearDrawingGives(int type) {
        BufferedImage image = noise(type, 64, 48);

        BufferedImage half = Halving.half(image).orElseThrow();

        BufferedImage drawn = drawnAtHalf(image);
        assertThat(half.getWidth()).isEqualTo(32);
        assertThat(half.getHeight()).isEqualTo(24);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    assertThat((half.getRGB(x, y) >> shift) & 0xff).as("pixel %d,%d", x, y)
                            .isCloseTo((drawn.getRGB(x, y) >> shift) & 0xff, Offset.offset(1));
                }
            }
        }
    }

    @ParameterizedTest(name = "image type {0}")
    @ValueSource(ints = {BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_INT_ARGB})
    void leavesPicturesWithAlphaOrOtherLayoutsToJava2d(int type) {
        assertThat(Halving.half(noise(type, 64, 48))).isEmpty();
    }

    @Test
    void leavesOddSizesToJava2d() {
        assertThat(Halving.half(noise(BufferedImage.TYPE_3BYTE_BGR, 63, 48))).isEmpty();
    }
}
