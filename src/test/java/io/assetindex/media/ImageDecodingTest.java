package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageDecodingTest {
    @Test
    void aHugePictureIsSubsampledWithinTheMemoryCapWhateverSizeIsAsked() {
        int step = ImageDecoding.step(12_000, 8_000, 4096);
        assertThat(step).isEqualTo(5);
        assertThat((12_000L / step) * (8_000L / step)).isLessThanOrEqualTo(ImageDecoding.MAX_DECODE_PIXELS);
        assertThat(ImageDecoding.step(12_000, 8_000, 0)).as("full size asked").isEqualTo(5);
    }

    @Test
    void aSmallTargetSubsamplesToTwiceItsSizeAndASmallPictureIsReadWhole() {
        assertThat(ImageDecoding.step(4000, 3000, 256)).isEqualTo(7);
        assertThat(ImageDecoding.step(640, 480, 1024)).isEqualTo(1);
    }
}
