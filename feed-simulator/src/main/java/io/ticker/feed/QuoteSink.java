package io.ticker.feed;

import io.ticker.protocol.Quote;

/**
 * Where the feed puts each quote it makes. The quote is the feed's own reusable object: valid only for the duration
 * of the call, so a sink copies what it keeps (the server's ring translator copies it into a ring slot).
 */
@FunctionalInterface
public interface QuoteSink {
    /** Takes one update; must not keep a reference to {@code quote}. */
    void onQuote(Quote quote);

    /**
     * The quotes given since the last call form one burst (one {@code doWork()} of the feed): a sink that batches,
     * such as the server's ring when its producer also consumes, acts on the burst now. Nothing by default.
     */
    default void endOfBatch() {
    }
}
