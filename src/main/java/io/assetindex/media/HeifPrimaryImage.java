package io.assetindex.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pixel size of a HEIF/HEIC file's primary image, from its {@code meta} box.
 *
 * <p>Phones store a photo as a grid of tiles, and metadata-extractor reports the size of a
 * tile. The size of the picture is the {@code ispe} property associated (in {@code ipma})
 * with the primary item named by {@code pitm}; that is what this reads (ISO/IEC 23008-12).
 * Anything malformed gives an empty result, never an exception the caller must handle.
 */
final class HeifPrimaryImage {
    private static final int MAX_META_BYTES = 16 << 20;

    record Size(int width, int height) {}

    private HeifPrimaryImage() {}

    static Optional<Size> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer meta = findTopLevelBox(channel, "meta");
            return meta == null ? Optional.empty() : primarySize(meta);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The payload of the first top-level box of this type, or null. */
    private static ByteBuffer findTopLevelBox(FileChannel channel, String type) throws IOException {
        long position = 0;
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate(16);
        while (position + 8 <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            if (header.remaining() < 8) {
                return null;
            }
            long boxSize = Integer.toUnsignedLong(header.getInt());
            String boxType = fourCc(header);
            int headerBytes = 8;
            if (boxSize == 1) {
                boxSize = header.getLong();
                headerBytes = 16;
            } else if (boxSize == 0) {
                boxSize = size - position;
            }
            if (boxSize < headerBytes) {
                return null;
            }
            if (boxType.equals(type)) {
                long payload = boxSize - headerBytes;
                if (payload > MAX_META_BYTES) {
                    return null;
                }
                ByteBuffer buffer = ByteBuffer.allocate((int) payload);
                channel.read(buffer, position + headerBytes);
                return buffer.flip();
            }
            position += boxSize;
        }
        return null;
    }

    private static Optional<Size> primarySize(ByteBuffer meta) {
        meta.getInt(); // FullBox version and flags
        Map<String, ByteBuffer> children = children(meta);
        ByteBuffer pitm = children.get("pitm");
        ByteBuffer iprp = children.get("iprp");
        if (pitm == null || iprp == null) {
            return Optional.empty();
        }
        int pitmVersion = pitm.get() & 0xff;
        pitm.position(4);
        long primary = pitmVersion == 0 ? pitm.getShort() & 0xffff : Integer.toUnsignedLong(pitm.getInt());

        List<ByteBuffer> properties = new ArrayList<>();
        List<String> propertyTypes = new ArrayList<>();
        Map<String, ByteBuffer> iprpChildren = children(iprp);
        ByteBuffer ipco = iprpChildren.get("ipco");
        ByteBuffer ipma = iprpChildren.get("ipma");
        if (ipco == null || ipma == null) {
            return Optional.empty();
        }
        eachBox(ipco, (type, payload) -> {
            propertyTypes.add(type);
            properties.add(payload);
        });
        int version = ipma.get() & 0xff;
        int flags = ((ipma.get() & 0xff) << 16) | ((ipma.get() & 0xff) << 8) | (ipma.get() & 0xff);
        long entries = Integer.toUnsignedLong(ipma.getInt());
        for (long i = 0; i < entries; i++) {
            long item = version < 1 ? ipma.getShort() & 0xffff : Integer.toUnsignedLong(ipma.getInt());
            int associations = ipma.get() & 0xff;
            for (int a = 0; a < associations; a++) {
                int index = (flags & 1) != 0 ? ipma.getShort() & 0x7fff : ipma.get() & 0x7f;
                if (item == primary && index >= 1 && index <= properties.size()
                        && propertyTypes.get(index - 1).equals("ispe")) {
                    ByteBuffer ispe = properties.get(index - 1);
                    ispe.position(4);
                    return Optional.of(new Size(ispe.getInt(), ispe.getInt()));
                }
            }
        }
        return Optional.empty();
    }

    private static Map<String, ByteBuffer> children(ByteBuffer container) {
        Map<String, ByteBuffer> children = new HashMap<>();
        eachBox(container, children::putIfAbsent);
        return children;
    }

    private interface BoxConsumer {
        void accept(String type, ByteBuffer payload);
    }

    private static void eachBox(ByteBuffer container, BoxConsumer consumer) {
        while (container.remaining() >= 8) {
            int start = container.position();
            long size = Integer.toUnsignedLong(container.getInt());
            String type = fourCc(container);
            if (size < 8 || size > container.remaining() + 8L) {
                return;
            }
            ByteBuffer payload = container.slice(container.position(), (int) size - 8);
            consumer.accept(type, payload);
            container.position(start + (int) size);
        }
    }

    private static String fourCc(ByteBuffer buffer) {
        byte[] bytes = new byte[4];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
