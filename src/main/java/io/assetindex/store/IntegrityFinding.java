package io.assetindex.store;

/**
 * A file whose content the integrity check judged corrupt (it was not indexed) or readable with
 * warnings (indexed), as it is now.
 *
 * @param corrupt     corrupt, or else readable with warnings
 * @param mediaType   the asset's type for a file with warnings; null for a corrupt one (never indexed)
 * @param tool        what checked it ("ImageIO", "ffmpeg", "ffprobe", "RAW structure + preview")
 * @param details     what the checker said
 * @param checkedAt   when the content was last checked
 * @param since       since when the file has been judged so: its first failure (corrupt), the
 *                    first check of its content that warned (warnings)
 */
public record IntegrityFinding(boolean corrupt, String sourceRoot, String relPath, String mediaType, String tool,
        String details, String checkedAt, String since, String contentHash) {}
