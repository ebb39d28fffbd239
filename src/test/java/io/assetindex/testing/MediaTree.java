package io.assetindex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a media tree looks like, to prove nothing changed it: every file and folder with its
 * type, size, modification time (to the nanosecond), permissions and, for files, SHA-256. A
 * folder's mtime changes when anything is created, renamed or deleted in it.
 */
public final class MediaTree {
    private MediaTree() {}

    public static Map<String, String> snapshot(Path root) {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                String content = attributes.isRegularFile() ? Sha256.hex(Files.readAllBytes(path)) : "folder";
                entries.put(root.relativize(path).toString(), content + " " + attributes.size() + " "
                        + attributes.lastModifiedTime().toInstant() + " "
                        + PosixFilePermissions.toString(attributes.permissions()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
