package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.MediaType;
import io.assetindex.config.MediaSettings;
import io.assetindex.testing.HostileFiles;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a few hundred bytes long whose headers declare gigabytes: each is refused or handled
 * within the memory caps, with a reason for people, and nothing is allocated for what it declares.
 * Before the caps, each of these made the JVM run out of memory or take gigabytes of native memory.
 */
class HostileImagesTest {
    private static final MediaTools TOOLS = new MediaTools(new MediaSettings(null, null, false, 256, 85),
            Path.of("target", "javacpp-cache").toAbsolutePath());

    @TempDir
    Path folder;

    @Test
    void aPngTextChunkDeclaringTwoGigabytesIsRefusedBeforeAnythingIsAllocated() {
        Path png = HostileFiles.pngWithHugeTextChunk(folder.resolve("text.png"));

        assertThatThrownBy(() -> ImageFacts.read(png)).isInstanceOf(MediaException.class)
                .hasMessageContaining("declares a 2147483647-byte tEXt chunk").hasMessageContaining("damaged or crafted");
    }

    @Test
    void aCompressedPngTextChunkThatInflatesBeyondTheCapIsRefused() {
        Path png = HostileFiles.pngWithCompressedTextBomb(folder.resolve("bomb.png"));

        assertThatThrownBy(() -> ImageFacts.read(png)).isInstanceOf(MediaException.class)
                .hasMessageContaining("zTXt chunk inflates to more than 16 MiB");
    }

    @Test
    void aWebpChunkLongerThanTheFileIsRefused() {
        Path webp = HostileFiles.webpWithHugeExifChunk(folder.resolve("exif.webp"));

        assertThatThrownBy(() -> ImageFacts.read(webp)).isInstanceOf(MediaException.class)
                .hasMessageContaining("EXIF chunk");
    }

    @Test
    void aHeifExifItemDeclaredTwoGigabytesLongIsRefused() {
        Path heic = HostileFiles.heifWithHugeExifItem(folder.resolve("exif.heic"));

        assertThatThrownBy(() -> ImageFacts.read(heic)).isInstanceOf(MediaException.class)
                .hasMessageContaining("metadata item");
    }

    @Test
    void aTiffTagDeclaringHundredsOfMegabytesIsSkippedAndTheRestOfTheHeaderRead() throws Exception {
        // 600 MB in a sparse file: more than the tests' heap, so reading the tag whole would fail.
        Path tiff = HostileFiles.tiffWithHugeDescription(folder.resolve("description.tif"), 600 << 20);

        assertThat(ImageFacts.read(tiff).path("width").asInt()).isEqualTo(4);
    }

    @Test
    void aProgressiveJpegDeclaringTwoGigapixelsIsNotDecodedInThisProcess() throws Exception {
        Path jpeg = HostileFiles.jpegDeclaring(folder.resolve("huge.jpg"), 46_000, 46_000, true);

        // The JDK's decoder would hold every coefficient: about 6 GB of native memory.
        assertThatThrownBy(() -> ImageDecoding.decode(ImageDecoding.readerFor("JPEG"), jpeg, 256, Duration.ofSeconds(30),
                TOOLS.decodeBudget())).isInstanceOf(ImageDecoding.TooLarge.class).hasMessageContaining("MiB");
    }

    @Test
    void aPictureLargerThanAnyDecoderTakesIsIndexedWithAWarningNotCheckedNorTakenForDamage() throws Exception {
        Path jpeg = HostileFiles.jpegDeclaring(folder.resolve("huge.jpg"), 46_000, 46_000, true);

        IntegrityCheck.Verdict verdict = IntegrityCheck.check(TOOLS, jpeg, MediaType.IMAGE, "JPEG", Files.size(jpeg),
                null, false, 256);

        assertThat(verdict.corrupt()).isFalse();
        assertThat(verdict.warning()).isTrue();
        assertThat(verdict.details()).startsWith("not decoded: Picture size 46000x46000 is invalid");
    }

    @Test
    void aRawPreviewDeclaringTwoGigapixelsIsNotDecodedAndTheFileIsIndexedWithAWarning() throws Exception {
        byte[] preview = Files.readAllBytes(HostileFiles.jpegDeclaring(folder.resolve("huge.jpg"), 46_000, 46_000,
                true));
        Path dng = new io.assetindex.testing.DngFile(400, 300).previewBytes(preview, 46_000, 46_000)
                .write(folder.resolve("huge-preview.dng"));

        IntegrityCheck.Verdict verdict = IntegrityCheck.check(TOOLS, dng, MediaType.IMAGE, "DNG", Files.size(dng),
                null, false, 256);

        assertThat(verdict.corrupt()).isFalse();
        assertThat(verdict.warning()).isTrue();
        assertThat(verdict.details()).isEqualTo("its preview (46000x46000) was not checked: it needs more memory than"
                + " this process gives pictures");
    }

    @Test
    void aTiffStripOfGigabytesIsNotDecodedInThisProcess() {
        Path tiff = HostileFiles.tiffWithOneHugeStrip(folder.resolve("strip.tif"), 40_000, 40_000);

        assertThatThrownBy(() -> ImageDecoding.decode(ImageDecoding.readerFor("TIFF"), tiff, 256, Duration.ofSeconds(30),
                TOOLS.decodeBudget())).isInstanceOf(ImageDecoding.TooLarge.class);
    }

    @Test
    void aBaselineJpegDeclaringHugeSizeIsDecodedRowByRowAndFoundDamaged() throws Exception {
        Path jpeg = HostileFiles.jpegDeclaring(folder.resolve("baseline.jpg"), 20_000, 20_000, false);

        IntegrityCheck.Verdict verdict = IntegrityCheck.check(TOOLS, jpeg, MediaType.IMAGE, "JPEG", Files.size(jpeg),
                null, false, 256);

        assertThat(verdict.corrupt()).isTrue();
        assertThat(verdict.tool()).isEqualTo("ImageIO");
    }

    @Test
    void decodesRunningTogetherNeverTakeMoreThanTheBudget() throws Exception {
        DecodeBudget budget = new DecodeBudget(10 << 20);
        DecodeBudget.Grant first = budget.take(6 << 20);
        Thread second = new Thread(() -> {
            try (DecodeBudget.Grant grant = budget.take(6 << 20)) {
                // got it once the first gave its share back
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        second.start();
        second.join(300);
        assertThat(second.isAlive()).as("waits while the budget is taken").isTrue();
        first.close();
        second.join(5000);
        assertThat(second.isAlive()).isFalse();
        assertThatThrownBy(() -> budget.take(11 << 20)).isInstanceOf(ImageDecoding.TooLarge.class);
    }

    @Test
    void aNormalPhotoStillDecodesInThisProcess() throws Exception {
        Path photo = TestMedia.jpeg(folder.resolve("photo.jpg"), 640, 480, 3);

        ImageDecoding.Decoded decoded = ImageDecoding.decode(ImageDecoding.readerFor("JPEG"), photo, 256,
                Duration.ofSeconds(30), TOOLS.decodeBudget());

        assertThat(decoded.failed()).isFalse();
        assertThat(decoded.image().getWidth()).isLessThanOrEqualTo(640).isGreaterThanOrEqualTo(256);
    }
}
