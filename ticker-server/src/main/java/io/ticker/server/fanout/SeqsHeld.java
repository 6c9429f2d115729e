package io.ticker.server.fanout;

import io.ticker.server.book.LastQuoteBook;
import org.agrona.collections.Long2LongHashMap;

/**
 * What one subscriber already holds of the symbols it no longer subscribes to: the seq of the newest quote of each
 * that it was sent (or will be, from a frame already built). A symbol subscribed by name or by the firehose needs no
 * entry, since its subscriber has every quote the shard's book has seen of it; the entry is written when the symbol
 * stops being covered and read when it is covered again, so that a resubscription sends a snapshot only if the book
 * has something newer than what the subscriber holds. Commands only: nothing here runs per update.
 */
final class SeqsHeld {
    private static final long NONE = Long.MIN_VALUE;

    /** Created on the first uncovered symbol: most subscribers never unsubscribe. */
    private Long2LongHashMap seqBySymbol;

    /**
     * {@code symbolId} stops being covered; {@code pendingDropped} says whether its newest quote was still waiting
     * in a conflation slot and was dropped, in which case the subscriber holds something older than the book's.
     */
    void uncovered(final int symbolId, final LastQuoteBook book, final boolean pendingDropped) {
        if (!book.has(symbolId)) {
            return;
        }
        if (seqBySymbol == null) {
            seqBySymbol = new Long2LongHashMap(NONE);
        }
        // Below the book's seq is enough: the book's quote, or any later one, is then worth a snapshot.
        seqBySymbol.put(symbolId, pendingDropped ? book.seq(symbolId) - 1 : book.seq(symbolId));
    }

    /**
     * {@code symbolId} is covered again (or for the first time): whether the book's quote of it is newer than what
     * the subscriber holds, and so goes out as a snapshot. From now on the subscriber follows the book again.
     */
    boolean coveredNeedsSnapshot(final int symbolId, final LastQuoteBook book) {
        final long held = seqBySymbol == null ? NONE : seqBySymbol.remove(symbolId);
        return book.has(symbolId) && (held == NONE || book.seq(symbolId) > held);
    }

    /**
     * {@code symbolId} is covered again and the subscriber is sent every update of it after what it holds (a resume
     * replays them): nothing to remember, and no snapshot.
     */
    void covered(final int symbolId) {
        if (seqBySymbol != null) {
            seqBySymbol.remove(symbolId);
        }
    }

    /** Forgets everything: the subscriber's output stopped, or a new feed epoch made every seq incomparable. */
    void clear() {
        seqBySymbol = null;
    }
}
