package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.testing.Cr3File;
import io.assetindex.testing.DngFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RawFile}: the structure of TIFF-based RAW files and Fujifilm's RAF, sound, cut and hostile. */
class RawFileTest {
    @TempDir
    Path dir;

    @Test
    void aDngHasItsPreviewAndNoProblem() throws Exception {
        byte[] dng = new DngFile(320, 240).preview(160, 120, 1).bytes();
        RawFile.Structure structure = RawFile.read(TestMedia.write(dir.resolve("a.dng"), dng), "DNG");
        assertThat(structure.problems()).isEmpty();
        assertThat(structure.previews()).hasSize(1);
        RawFile.Preview preview = structure.previews().get(0);
        assertThat(dng[(int) preview.offset()] & 0xFF).isEqualTo(0xFF);
        assertThat(dng[(int) preview.offset() + 1] & 0xFF).isEqualTo(0xD8);
    }

    /** A RAF header: magic, then the JPEG's offset and length at 84 and 88, the raw data's at 100 and 104. */
    private static byte[] raf(byte[] jpeg, int rawBytes) {
        int jpegAt = 160;
        ByteBuffer out = ByteBuffer.allocate(jpegAt + jpeg.length + rawBytes);
        out.put("FUJIFILMCCD-RAW 0201FF383501".getBytes(StandardCharsets.US_ASCII));
        out.putInt(84, jpegAt).putInt(88, jpeg.length).putInt(100, jpegAt + jpeg.length).putInt(104, rawBytes);
        out.put(jpegAt, jpeg);
        return out.array();
    }

    @Test
    void aRafGivesThePreviewItsHeaderPointsTo() throws Exception {
        byte[] jpeg = TestMedia.jpegBytes(160, 120, 2);
        RawFile.Structure structure = RawFile.read(TestMedia.write(dir.resolve("a.raf"), raf(jpeg, 5000)), "RAF");
        assertThat(structure.problems()).isEmpty();
        assertThat(structure.previews()).containsExactly(new RawFile.Preview(160, jpeg.length));
    }

    @Test
    void aCutRafOrDngSaysWhatLiesPastTheEnd() throws Exception {
        byte[] raf = raf(TestMedia.jpegBytes(160, 120, 3), 5000);
        assertThat(RawFile.read(TestMedia.write(dir.resolve("cut.raf"), Arrays.copyOf(raf, raf.length - 100)), "RAF")
                .problems()).containsExactly("its raw data is declared past the end of the file (truncated?)");
        byte[] dng = new DngFile(320, 240).preview(160, 120, 1).bytes();
        assertThat(RawFile.read(TestMedia.write(dir.resolve("cut.dng"), Arrays.copyOf(dng, dng.length - 10)), "DNG")
                .problems()).contains("its strips are declared past the end of the file (truncated?)");
    }

    @Test
    void aCr3HasItsMetadataTiffsAndPreviewsAndACutOneSaysWhichBoxIsCut() throws Exception {
        byte[] cr3 = new Cr3File(600, 400).bytes();
        RawFile.Structure structure = RawFile.read(TestMedia.write(dir.resolve("a.cr3"), cr3), "CR3");
        assertThat(structure.problems()).isEmpty();
        assertThat(structure.tiffs()).containsOnlyKeys("CMT1", "CMT2", "CMT4");
        assertThat(structure.previews()).hasSize(1);
        assertThat(cr3[(int) structure.previews().get(0).offset() + 1] & 0xFF).isEqualTo(0xD8);
        assertThat(RawFile.read(TestMedia.write(dir.resolve("cut.cr3"), Arrays.copyOf(cr3, cr3.length - 10)), "CR3")
                .problems()).containsExactly("a 'mdat' box is declared past the end of the file (truncated?)");
    }

    @Test
    void hostileStructuresCostLittleAndAreNamed() throws Exception {
        // IFD0 points to itself: read once.
        byte[] loop = new byte[64];
        System.arraycopy(new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0, 1, 3, 0, 1, 0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0},
                0, loop, 0, 26);
        assertThat(RawFile.read(TestMedia.write(dir.resolve("loop.nef"), loop), "NEF").problems()).isEmpty();
        // An IFD far past the end, and a huge entry count.
        byte[] far = {'M', 'M', 0, 42, 0x7F, 0, 0, 0, 0, 0, 0, 0};
        assertThat(RawFile.read(TestMedia.write(dir.resolve("far.cr2"), far), "CR2").problems())
                .containsExactly("an IFD is declared past the end of the file (truncated?)");
        assertThatThrownBy(() -> RawFile.read(TestMedia.write(dir.resolve("text.arw"),
                "plain text, not a photo".getBytes(StandardCharsets.US_ASCII)), "ARW"))
                .isInstanceOf(MediaException.class).hasMessageContaining("not a readable ARW file");
    }

    @Test
    void aChainOfIfdsDeclaringMillionsOfValuesIsReadOnlyUpToTheCap() throws Exception {
        // 12 IFDs, each with StripOffsets declaring 100,000 values in one shared block: 1.2 million in all.
        int values = 100_000;
        int ifds = 12;
        int dataAt = 8 + ifds * 18;
        ByteBuffer out = ByteBuffer.allocate(dataAt + values * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {'I', 'I', 42, 0}).putInt(8);
        for (int i = 0; i < ifds; i++) {
            out.putShort((short) 1).putShort((short) 0x111).putShort((short) 4).putInt(values).putInt(dataAt)
                    .putInt(i + 1 < ifds ? 8 + (i + 1) * 18 : 0);
        }
        RawFile.Structure structure = RawFile.read(TestMedia.write(dir.resolve("many.dng"), out.array()), "DNG");
        assertThat(structure.problems()).contains("its IFDs declare more than " + RawFile.MAX_VALUES
                + " offsets and lengths; no camera writes that");
    }

    @Test
    void formatsAreKnownByExtension() throws IOException {
        assertThat(RawFile.formatOf(Path.of("x/DSC_0001.NEF"))).contains("NEF");
        assertThat(RawFile.formatOf(Path.of("IMG.cr2"))).contains("CR2");
        assertThat(RawFile.formatOf(Path.of("IMG.jpg"))).isEmpty();
        assertThat(RawFile.formatOf(Path.of("noextension"))).isEmpty();
    }
}
