package io.assetindex.media;

import com.drew.imaging.FileType;
import com.drew.imaging.tiff.TiffProcessingException;
import com.drew.imaging.tiff.TiffReader;
import com.drew.lang.RandomAccessFileReader;
import com.drew.lang.RandomAccessReader;
import com.drew.lang.ByteArrayReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.Tag;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.exif.ExifTiffHandler;
import com.drew.metadata.file.FileTypeDirectory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Reads the metadata of a TIFF-based file (TIFF, and camera RAW formats built on it) from the
 * file itself, without buffering it, within caps.
 *
 * <p>metadata-extractor allocates whatever a tag's count declares, up to the length of the file:
 * a crafted gigabyte-long file could ask for a gigabyte per tag, and its IFD chain may be as
 * long as the file allows. Here a tag declaring more than {@link HeaderGuard#MAX_METADATA_BYTES}
 * is skipped (with an error on the directory), at most {@link #MAX_IFDS} directories are read,
 * and maker notes (vendor formats whose inner offsets point anywhere in the file, and which
 * asset-index does not use) are not parsed.
 */
final class TiffHeader {
    static final int MAX_IFDS = 64;
    private static final int TAG_MAKERNOTE = 0x927C;

    private TiffHeader() {}

    /**
     * A CR3's metadata: its CMT1 (IFD0), CMT2 (EXIF IFD) and CMT4 (GPS) boxes, each a TIFF of its
     * own ({@link RawFile}), read as the directories they stand for.
     */
    static Metadata readCr3(Path file) throws IOException, TiffProcessingException, MediaException {
        RawFile.Structure structure = RawFile.read(file, "CR3");
        Metadata metadata = new Metadata();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            for (Map.Entry<String, RawFile.Preview> tiff : new java.util.TreeMap<>(structure.tiffs()).entrySet()) {
                RawFile.Preview block = tiff.getValue();
                if (block.length() > HeaderGuard.MAX_METADATA_BYTES) {
                    continue;
                }
                byte[] bytes = new byte[(int) block.length()];
                raf.seek(block.offset());
                raf.readFully(bytes);
                Metadata parsed = new Metadata();
                new TiffReader().processTiff(new ByteArrayReader(bytes), new CappedHandler(parsed), 0);
                ExifIFD0Directory read = parsed.getFirstDirectoryOfType(ExifIFD0Directory.class);
                if (read == null) {
                    continue;
                }
                Directory as = switch (tiff.getKey()) {
                    case "CMT2" -> new ExifSubIFDDirectory();
                    case "CMT4" -> new GpsDirectory();
                    default -> read;
                };
                if (as != read) {
                    for (Tag tag : read.getTags()) {
                        as.setObject(tag.getTagType(), read.getObject(tag.getTagType()));
                    }
                }
                metadata.addDirectory(as);
            }
        }
        metadata.addDirectory(new FileTypeDirectory(FileType.Crx));
        return metadata;
    }

    static Metadata read(Path file, FileType type) throws IOException, TiffProcessingException {
        Metadata metadata = new Metadata();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            new TiffReader().processTiff(new RandomAccessFileReader(raf), new CappedHandler(metadata), 0);
        }
        metadata.addDirectory(new FileTypeDirectory(type));
        return metadata;
    }

    private static final class CappedHandler extends ExifTiffHandler {
        private int directories;

        CappedHandler(Metadata metadata) {
            super(metadata, null, 0);
        }

        @Override
        public boolean customProcessTag(int tagOffset, Set<Integer> processedIfdOffsets, int tiffHeaderOffset,
                RandomAccessReader reader, int tagId, int byteCount) throws IOException {
            if (tagId == TAG_MAKERNOTE) {
                return true;
            }
            if (byteCount > HeaderGuard.MAX_METADATA_BYTES) {
                error("tag 0x" + Integer.toHexString(tagId) + " declares " + byteCount + " bytes; skipped");
                return true;
            }
            return super.customProcessTag(tagOffset, processedIfdOffsets, tiffHeaderOffset, reader, tagId, byteCount);
        }

        @Override
        public boolean tryEnterSubIfd(int tagId) {
            return ++directories <= MAX_IFDS && super.tryEnterSubIfd(tagId);
        }

        @Override
        public boolean hasFollowerIfd() {
            return ++directories <= MAX_IFDS && super.hasFollowerIfd();
        }
    }
}
