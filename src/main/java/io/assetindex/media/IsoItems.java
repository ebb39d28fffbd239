package io.assetindex.media;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the item tables of a HEIF/AVIF {@code meta} box (ISO/IEC 14496-12, 8.11): which items
 * hold metadata ({@code iinf}) and where each item's bytes are ({@code iloc}). Malformed tables
 * give what could be read before the damage, never an exception; the number of items and
 * extents read is capped, so a table cannot make this loop for long.
 */
final class IsoItems {
    private static final int MAX_ENTRIES = 100_000;
    private static final Set<String> METADATA_TYPES = Set.of("Exif", "mime", "uri ");

    /** One stretch of an item's bytes: absolute offset in the file (base offset added) and length. */
    record Extent(long itemId, long offset, long length) {}

    private IsoItems() {}

    /** The ids of the items whose type is EXIF or XMP ({@code mime}), from an {@code iinf} payload. */
    static Set<Long> metadataItemIds(ByteBuffer iinf) {
        Set<Long> ids = new HashSet<>();
        try {
            int version = iinf.get() & 0xff;
            iinf.position(4);
            long count = version == 0 ? iinf.getShort() & 0xffff : Integer.toUnsignedLong(iinf.getInt());
            for (long i = 0; i < Math.min(count, MAX_ENTRIES) && iinf.remaining() >= 8; i++) {
                int start = iinf.position();
                long size = Integer.toUnsignedLong(iinf.getInt());
                iinf.getInt(); // "infe"
                if (size < 8 || size > iinf.remaining() + 8L) {
                    break;
                }
                int entryVersion = iinf.get() & 0xff;
                iinf.position(iinf.position() + 3);
                if (entryVersion >= 2) {
                    long id = entryVersion == 2 ? iinf.getShort() & 0xffff : Integer.toUnsignedLong(iinf.getInt());
                    iinf.getShort(); // protection index
                    byte[] type = new byte[4];
                    iinf.get(type);
                    if (METADATA_TYPES.contains(new String(type, StandardCharsets.ISO_8859_1))) {
                        ids.add(id);
                    }
                }
                iinf.position(start + (int) size);
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            // cut short: what was read stands
        }
        return ids;
    }

    /** Every extent of every item, from an {@code iloc} payload. */
    static List<Extent> extents(ByteBuffer iloc) {
        List<Extent> extents = new ArrayList<>();
        try {
            int version = iloc.get() & 0xff;
            iloc.position(4);
            int sizes = iloc.getShort() & 0xffff;
            int offsetSize = sizes >> 12;
            int lengthSize = (sizes >> 8) & 0xf;
            int baseOffsetSize = (sizes >> 4) & 0xf;
            int indexSize = version == 1 || version == 2 ? sizes & 0xf : 0;
            long items = version < 2 ? iloc.getShort() & 0xffff : Integer.toUnsignedLong(iloc.getInt());
            for (long i = 0; i < Math.min(items, MAX_ENTRIES) && extents.size() < MAX_ENTRIES; i++) {
                long id = version < 2 ? iloc.getShort() & 0xffff : Integer.toUnsignedLong(iloc.getInt());
                if (version == 1 || version == 2) {
                    iloc.getShort(); // construction method
                }
                iloc.getShort(); // data reference index
                long base = number(iloc, baseOffsetSize);
                int count = iloc.getShort() & 0xffff;
                for (int e = 0; e < count && extents.size() < MAX_ENTRIES; e++) {
                    number(iloc, indexSize);
                    long offset = number(iloc, offsetSize);
                    long length = number(iloc, lengthSize);
                    extents.add(new Extent(id, base + offset, length));
                }
            }
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            // cut short: what was read stands
        }
        return extents;
    }

    /** A big-endian unsigned number of 0, 4 or 8 bytes (the sizes iloc allows). */
    private static long number(ByteBuffer buffer, int bytes) {
        return switch (bytes) {
            case 0 -> 0;
            case 4 -> Integer.toUnsignedLong(buffer.getInt());
            case 8 -> buffer.getLong();
            default -> throw new IllegalArgumentException("field size " + bytes);
        };
    }
}
