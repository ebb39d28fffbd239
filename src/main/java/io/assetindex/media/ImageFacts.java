package io.assetindex.media;

import com.drew.imaging.FileType;
import com.drew.imaging.FileTypeDetector;
import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifDirectoryBase;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.drew.metadata.file.FileTypeDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.heif.HeifDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

/**
 * What an image's header says, read with metadata-extractor without decoding pixels: format,
 * pixel size, EXIF orientation, camera, lens, capture time and GPS position.
 *
 * <p>{@code width} and {@code height} are as the image is displayed: for EXIF orientations 5 to
 * 8 (turned a quarter) they are the stored size swapped; the stored size is kept as
 * {@code pixel_width} and {@code pixel_height}.
 */
public final class ImageFacts {
    private static final DateTimeFormatter EXIF_TIME = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");
    /** Formats other than TIFF keep their metadata near the start: never read further than this. */
    static final long MAX_HEADER_BYTES = 64L << 20;
    private static final Set<FileType> TIFF_BASED = Set.of(FileType.Tiff, FileType.Dng, FileType.Arw, FileType.Cr2,
            FileType.Nef, FileType.Orf, FileType.Rw2, FileType.Pef, FileType.Srw);

    /** Where each format keeps its pixel size; where a file lists several (thumbnails), the largest wins. */
    private record SizeTags(Class<? extends Directory> directory, int widthTag, int heightTag) {}

    private static final List<SizeTags> SIZE_TAGS = List.of(
            new SizeTags(JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH, GifHeaderDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(ExifIFD0Directory.class, ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT));

    private ImageFacts() {}

    /**
     * @throws MediaException when the file is not an image of a known format, or not an image at all
     */
    public static ObjectNode read(Path file) throws MediaException {
        Metadata metadata = metadata(file);
        ObjectNode facts = Json.object();
        FileTypeDirectory type = metadata.getFirstDirectoryOfType(FileTypeDirectory.class);
        String format = type == null ? null : type.getString(FileTypeDirectory.TAG_DETECTED_FILE_TYPE_NAME);
        String mime = type == null ? null : type.getString(FileTypeDirectory.TAG_DETECTED_FILE_MIME_TYPE);
        if (mime != null && !mime.startsWith("image/")) {
            throw new MediaException("holds " + format + " data, not an image; rename it with the right extension");
        }
        Optional<String> raw = RawFile.formatOf(file);
        if (raw.isPresent()) {
            // Named by its extension: a DNG is detected as TIFF, and a TIFF reader must not decode it.
            format = raw.get();
            mime = "image/x-" + format.toLowerCase(java.util.Locale.ROOT);
        }
        facts.put("format", format);
        facts.put("mime_type", mime);
        int orientation = exifInt(metadata, ExifIFD0Directory.class, ExifDirectoryBase.TAG_ORIENTATION).orElse(1);
        putSize(facts, raw.isPresent() ? largestExifSize(metadata) : pixelSize(file, metadata), orientation);
        if (orientation != 1) {
            facts.put("orientation", orientation);
        }
        putCamera(facts, metadata);
        return facts;
    }

    /**
     * The header, read within caps: the lengths the file declares are checked first
     * ({@link HeaderGuard}); TIFF-based files are read in place ({@link TiffHeader}); other
     * formats keep their metadata at the start, and are read from at most
     * {@link #MAX_HEADER_BYTES} of it.
     */
    private static Metadata metadata(Path file) throws MediaException {
        try {
            HeaderGuard.check(file);
            FileType type;
            // Through NIO, not java.io.File: a Path keeps the exact bytes of the file name.
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1024)) {
                type = FileTypeDetector.detectFileType(in);
            }
            if (TIFF_BASED.contains(type)) {
                return TiffHeader.read(file, type);
            }
            if (type == FileType.Crx || RawFile.formatOf(file).filter("CR3"::equals).isPresent()) {
                return TiffHeader.readCr3(file);
            }
            try (InputStream in = new BufferedInputStream(new BoundedInputStream(Files.newInputStream(file),
                    MAX_HEADER_BYTES), 64 * 1024)) {
                Metadata metadata = ImageMetadataReader.readMetadata(in, Math.min(Files.size(file), MAX_HEADER_BYTES),
                        type);
                if (!metadata.containsDirectoryOfType(FileTypeDirectory.class) && type != FileType.Unknown) {
                    metadata.addDirectory(new FileTypeDirectory(type));
                }
                return metadata;
            }
        } catch (ImageProcessingException e) {
            throw new MediaException("not a readable image (" + firstLine(e) + "); the file may be corrupt or misnamed");
        } catch (IOException e) {
            throw new MediaException("cannot read the image header: " + firstLine(e));
        } catch (RuntimeException e) {
            throw new MediaException("not a readable image (" + firstLine(e) + "); the file may be corrupt or misnamed");
        }
    }

    private static int[] pixelSize(Path file, Metadata metadata) {
        if (metadata.containsDirectoryOfType(HeifDirectory.class)) {
            // Phones store HEIC photos as tiles; metadata-extractor reports a tile, not the picture.
            Optional<HeifPrimaryImage.Size> primary = HeifPrimaryImage.read(file);
            if (primary.isPresent()) {
                return new int[] {primary.get().width(), primary.get().height()};
            }
        }
        for (SizeTags tags : SIZE_TAGS) {
            int[] best = null;
            for (Directory directory : metadata.getDirectoriesOfType(tags.directory())) {
                Integer w = directory.getInteger(tags.widthTag());
                Integer h = directory.getInteger(tags.heightTag());
                if (w != null && h != null && (best == null || (long) w * h > (long) best[0] * best[1])) {
                    best = new int[] {w, h};
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /**
     * A camera RAW file's picture size: the largest image any of its IFDs declares (the raw data;
     * the others are previews and thumbnails), or the size its EXIF gives, whichever is larger.
     */
    private static int[] largestExifSize(Metadata metadata) {
        int[] best = null;
        for (Directory directory : metadata.getDirectories()) {
            if (!(directory instanceof ExifDirectoryBase)) {
                continue;
            }
            for (int[] tags : new int[][] {{ExifDirectoryBase.TAG_IMAGE_WIDTH, ExifDirectoryBase.TAG_IMAGE_HEIGHT},
                    {ExifDirectoryBase.TAG_EXIF_IMAGE_WIDTH, ExifDirectoryBase.TAG_EXIF_IMAGE_HEIGHT}}) {
                Integer w = directory.getInteger(tags[0]);
                Integer h = directory.getInteger(tags[1]);
                if (w != null && h != null && w > 0 && h > 0
                        && (best == null || (long) w * h > (long) best[0] * best[1])) {
                    best = new int[] {w, h};
                }
            }
        }
        return best;
    }

    private static void putSize(ObjectNode facts, int[] size, int orientation) {
        if (size == null) {
            return;
        }
        boolean quarterTurn = orientation >= 5 && orientation <= 8;
        facts.put("width", quarterTurn ? size[1] : size[0]);
        facts.put("height", quarterTurn ? size[0] : size[1]);
        if (quarterTurn) {
            facts.put("pixel_width", size[0]);
            facts.put("pixel_height", size[1]);
        }
    }

    private static void putCamera(ObjectNode facts, Metadata metadata) {
        ExifIFD0Directory ifd0 = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
        ExifSubIFDDirectory sub = exifIfd(metadata);
        if (ifd0 != null) {
            putText(facts, "camera_make", ifd0.getString(ExifDirectoryBase.TAG_MAKE));
            putText(facts, "camera_model", ifd0.getString(ExifDirectoryBase.TAG_MODEL));
        }
        if (sub != null) {
            putText(facts, "lens", Optional.ofNullable(sub.getString(ExifDirectoryBase.TAG_LENS_MODEL))
                    .orElse(sub.getString(ExifDirectoryBase.TAG_LENS_MAKE)));
            putText(facts, "captured_at", captureTime(sub));
            putExposure(facts, sub);
        }
        GpsDirectory gps = metadata.getFirstDirectoryOfType(GpsDirectory.class);
        GeoLocation location = gps == null ? null : gps.getGeoLocation();
        if (location != null && !location.isZero()) {
            ObjectNode position = facts.putObject("gps");
            position.put("latitude", location.getLatitude());
            position.put("longitude", location.getLongitude());
            Double altitude = gps.getDoubleObject(GpsDirectory.TAG_ALTITUDE);
            if (altitude != null) {
                Integer below = gps.getInteger(GpsDirectory.TAG_ALTITUDE_REF);
                position.put("altitude_m", below != null && below == 1 ? -altitude : altitude);
            }
        }
    }

    /**
     * The EXIF IFD: the first that says how the picture was taken. (metadata-extractor reads a RAW
     * file's SubIFDs, which hold its previews, as directories of the same class.)
     */
    private static ExifSubIFDDirectory exifIfd(Metadata metadata) {
        ExifSubIFDDirectory first = null;
        for (ExifSubIFDDirectory directory : metadata.getDirectoriesOfType(ExifSubIFDDirectory.class)) {
            if (directory.containsTag(ExifDirectoryBase.TAG_DATETIME_ORIGINAL)
                    || directory.containsTag(ExifDirectoryBase.TAG_EXPOSURE_TIME)
                    || directory.containsTag(ExifDirectoryBase.TAG_LENS_MODEL)) {
                return directory;
            }
            first = first == null ? directory : first;
        }
        return first;
    }

    /** How the picture was taken: exposure time ("1/250"), f-number, ISO and focal length, where recorded. */
    private static void putExposure(ObjectNode facts, ExifSubIFDDirectory sub) {
        com.drew.lang.Rational exposure = sub.getRational(ExifDirectoryBase.TAG_EXPOSURE_TIME);
        if (exposure != null && exposure.getNumerator() > 0 && exposure.getDenominator() > 0) {
            double seconds = exposure.doubleValue();
            facts.put("exposure_time", seconds < 1 && exposure.getNumerator() == 1 ? exposure.toSimpleString(true)
                    : seconds < 1 ? "1/" + Math.round(1 / seconds) : trimmed(seconds) + " s");
        }
        com.drew.lang.Rational fNumber = sub.getRational(ExifDirectoryBase.TAG_FNUMBER);
        if (fNumber != null && fNumber.getDenominator() != 0 && fNumber.doubleValue() > 0) {
            facts.put("f_number", Math.round(fNumber.doubleValue() * 10) / 10.0);
        }
        Integer iso = sub.getInteger(ExifDirectoryBase.TAG_ISO_EQUIVALENT);
        if (iso != null && iso > 0) {
            facts.put("iso", iso);
        }
        com.drew.lang.Rational focal = sub.getRational(ExifDirectoryBase.TAG_FOCAL_LENGTH);
        if (focal != null && focal.getDenominator() != 0 && focal.doubleValue() > 0) {
            facts.put("focal_length_mm", Math.round(focal.doubleValue() * 10) / 10.0);
        }
    }

    private static String trimmed(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(Math.round(value * 10) / 10.0);
    }

    /** ISO-8601 local time of capture, with the offset when the camera recorded one. */
    private static String captureTime(ExifSubIFDDirectory sub) {
        String text = sub.getString(ExifDirectoryBase.TAG_DATETIME_ORIGINAL);
        if (text == null) {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(text.strip(), EXIF_TIME);
            String offset = sub.getString(ExifDirectoryBase.TAG_TIME_ZONE_ORIGINAL);
            return offset == null ? local.toString() : local.atOffset(ZoneOffset.of(offset.strip())).toString();
        } catch (RuntimeException e) {
            java.util.Date parsed = sub.getDateOriginal(TimeZone.getTimeZone("UTC"));
            return parsed == null ? null : LocalDateTime.ofInstant(parsed.toInstant(), ZoneOffset.UTC).toString();
        }
    }

    private static Optional<Integer> exifInt(Metadata metadata, Class<? extends Directory> type, int tag) {
        Directory directory = metadata.getFirstDirectoryOfType(type);
        return directory == null ? Optional.empty() : Optional.ofNullable(directory.getInteger(tag));
    }

    private static void putText(ObjectNode facts, String key, String value) {
        if (value != null && !value.isBlank()) {
            facts.put(key, value.strip());
        }
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse(message);
    }
}
