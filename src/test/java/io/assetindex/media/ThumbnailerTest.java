package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThumbnailerTest {

    /** 40x20, white, with a red 5x5 top-left corner as stored in the file. */
    private static BufferedImage stored() {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 40, 20);
        g.setColor(Color.RED);
        g.fillRect(0, 0, 5, 5);
        g.dispose();
        return image;
    }

    @ParameterizedTest(name = "orientation {0}: the stored top-left corner is shown at the {1}")
    @CsvSource({"1, top-left", "2, top-right", "3, bottom-right", "4, bottom-left", "5, top-left", "6, top-right",
            "7, bottom-right", "8, bottom-left"})
    void exifOrientationsShowTheImageAsTheCameraMeant(int orientation, String corner) {
        BufferedImage shown = Thumbnailer.orient(stored(), orientation);
        boolean quarterTurn = orientation >= 5;
        assertThat(shown.getWidth()).isEqualTo(quarterTurn ? 20 : 40);
        assertThat(shown.getHeight()).isEqualTo(quarterTurn ? 40 : 20);
        int x = corner.endsWith("left") ? 1 : shown.getWidth() - 2;
        int y = corner.startsWith("top") ? 1 : shown.getHeight() - 2;
        Color pixel = new Color(shown.getRGB(x, y));
        assertThat(pixel.getRed()).isGreaterThan(200);
        assertThat(pixel.getGreen()).as("red, not white, at the " + corner).isLessThan(60);
    }

    @ParameterizedTest
    @CsvSource({"100, 2", "85, 6", "1, 31"})
    void jpegQualityMapsOntoFfmpegsScale(int quality, int expected) {
        assertThat(Thumbnailer.ffmpegQuality(quality)).isEqualTo(expected);
    }
}
