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
}
