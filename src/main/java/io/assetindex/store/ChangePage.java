package io.assetindex.store;

import java.util.List;

/**
 * What a reader of the change feed gets after its position: the next changes in order, or word
 * that it must load everything again because the feed no longer holds what follows its position.
 *
 * @param finished  the next changes of finished transactions, oldest first: the reader's position
 *                  moves to the last of them
 * @param ahead     committed changes after those, of transactions younger than one still running:
 *                  a reader may apply them now (the state it reads for them is current), but its
 *                  position stays, and it meets them again among {@code finished} once every older
 *                  transaction has finished (always empty on SQLite)
 * @param startOver the feed was trimmed past the reader's position (it fell behind), or it is
 *                  behind the reader (the index was replaced, by a restore say)
 */
public record ChangePage(List<IndexChange> finished, List<IndexChange> ahead, boolean startOver) {
    static final ChangePage START_OVER = new ChangePage(List.of(), List.of(), true);
}
