package io.assetindex.store;

/**
 * A file whose content the integrity check judged corrupt or readable with warnings, as it is now.
 *
 * @param verdict     "corrupt", "warning", "accepted" (the user accepted the content as good), or
 *                    "bit-rot" (re-verification found its bytes changed behind its size and mtime)
 * @param indexed     whether the content is in the index (false: its last attempt failed at the check)
 * @param mediaType   the asset's type when indexed, else null
 * @param tool        what checked it ("ImageIO", "ffmpeg", "ffprobe", "RAW structure + preview")
 * @param details     what the checker said
 * @param checkedAt   when the content was last checked
 * @param since       since when the file has been judged so: its first failure (not indexed), the
 *                    first check of its content that flagged it (indexed)
 * @param acceptance  who accepted it as good, when and why; null unless accepted
 */
public record IntegrityFinding(String verdict, boolean indexed, String sourceRoot, String relPath, String mediaType,
        String tool, String details, String checkedAt, String since, String contentHash, Acceptance acceptance) {

    public IntegrityFinding withMediaType(String type) {
        return new IntegrityFinding(verdict, indexed, sourceRoot, relPath, type, tool, details, checkedAt, since,
                contentHash, acceptance);
    }
}
