package io.assetindex.index;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.file.FileTypeDirectory;
import com.drew.metadata.gif.GifHeaderDirectory;
import com.drew.metadata.heif.HeifDirectory;
import com.drew.metadata.jpeg.JpegDirectory;
import com.drew.metadata.png.PngDirectory;
import com.drew.metadata.webp.WebpDirectory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Width, height and format of an image, read from its header (metadata-extractor), without
 * decoding pixels. Fails for files that are not an image of a known format.
 */
final class ImageHeader {

    record Facts(String format, String mimeType, Integer width, Integer height) {}

    /** Where each format keeps its pixel size; where a file lists several (thumbnails), the largest wins. */
    private record SizeTags(Class<? extends Directory> directory, int widthTag, int heightTag) {}

    private static final List<SizeTags> SIZE_TAGS = List.of(
            new SizeTags(JpegDirectory.class, JpegDirectory.TAG_IMAGE_WIDTH, JpegDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(PngDirectory.class, PngDirectory.TAG_IMAGE_WIDTH, PngDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(GifHeaderDirectory.class, GifHeaderDirectory.TAG_IMAGE_WIDTH, GifHeaderDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(WebpDirectory.class, WebpDirectory.TAG_IMAGE_WIDTH, WebpDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(HeifDirectory.class, HeifDirectory.TAG_IMAGE_WIDTH, HeifDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(BmpHeaderDirectory.class, BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT),
            new SizeTags(ExifIFD0Directory.class, ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT));

    private ImageHeader() {}

    static Facts read(Path file) throws AnalysisException {
        Metadata metadata;
        // Through NIO, not java.io.File: a Path keeps the exact bytes of the file name.
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            metadata = ImageMetadataReader.readMetadata(in, Files.size(file));
        } catch (ImageProcessingException e) {
            throw new AnalysisException("not a readable image (" + reason(e) + "); the file may be corrupt or misnamed");
        } catch (IOException e) {
            throw new AnalysisException("cannot read the image header: " + reason(e));
        }
        FileTypeDirectory type = metadata.getFirstDirectoryOfType(FileTypeDirectory.class);
        String format = type == null ? null : type.getString(FileTypeDirectory.TAG_DETECTED_FILE_TYPE_NAME);
        String mime = type == null ? null : type.getString(FileTypeDirectory.TAG_DETECTED_FILE_MIME_TYPE);
        if (mime != null && !mime.startsWith("image/")) {
            throw new AnalysisException("holds " + format + " data, not an image; rename it with the right extension");
        }
        if (metadata.containsDirectoryOfType(HeifDirectory.class)) {
            Optional<HeifPrimaryImage.Size> primary = HeifPrimaryImage.read(file);
            if (primary.isPresent()) {
                return new Facts(format, mime, primary.get().width(), primary.get().height());
            }
        }
        for (SizeTags tags : SIZE_TAGS) {
            Integer width = null;
            Integer height = null;
            for (Directory directory : metadata.getDirectoriesOfType(tags.directory())) {
                Integer w = directory.getInteger(tags.widthTag());
                Integer h = directory.getInteger(tags.heightTag());
                if (w != null && h != null && (width == null || (long) w * h > (long) width * height)) {
                    width = w;
                    height = h;
                }
            }
            if (width != null) {
                return new Facts(format, mime, width, height);
            }
        }
        return new Facts(format, mime, null, null);
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
