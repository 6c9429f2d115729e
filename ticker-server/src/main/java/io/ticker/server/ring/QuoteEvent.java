package io.ticker.server.ring;

import io.ticker.protocol.Quote;

/**
 * A ring slot: preallocated once, filled in place by {@link QuoteRing#TRANSLATOR}, never escaping the ring's
 * consumers. Primitives only.
 */
public final class QuoteEvent {
    /** The quote as the feed made it. */
    public final Quote quote = new Quote();
    /** The contract's {@code seq}: the sequence the ring gave this update. */
    public long seq;
    /** {@link System#nanoTime()} when the producer put the update into the ring: the ring-to-socket hop's start. */
    public long publishNanos;
    /**
     * 0 for an update. Otherwise the slot carries no update but the start of a new feed session, this epoch: what
     * the server holds from the feed before it is stale, and every subscriber is told so ({@code reset}).
     */
    public long newEpoch;
}
