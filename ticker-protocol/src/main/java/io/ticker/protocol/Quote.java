package io.ticker.protocol;

/**
 * One quote update in memory: primitives only, prices fixed-point ({@link FixedPoint}), the symbol as an int id.
 * Mutable and meant to be reused: the feed refills one for every update, each ring slot holds one, and the codecs
 * read them without allocating.
 */
public final class Quote {
    /** Index of the symbol in the universe. */
    public int symbolId;
    /** Best bid, fixed-point. */
    public long bid;
    /** Shares bid at the best bid. */
    public long bidSize;
    /** Best ask, fixed-point; always above {@link #bid}. */
    public long ask;
    /** Shares offered at the best ask. */
    public long askSize;
    /** Price of the last trade, fixed-point. */
    public long last;
    /** Shares in the last trade. */
    public long lastSize;
    /** Shares traded in the session so far. */
    public long volume;
    /** When the feed created this update: microseconds since the Unix epoch, wall clock. */
    public long timestampMicros;

    /** Copies every field of {@code source} into this quote and returns this quote. */
    public Quote copyFrom(final Quote source) {
        symbolId = source.symbolId;
        bid = source.bid;
        bidSize = source.bidSize;
        ask = source.ask;
        askSize = source.askSize;
        last = source.last;
        lastSize = source.lastSize;
        volume = source.volume;
        timestampMicros = source.timestampMicros;
        return this;
    }

    @Override
    public String toString() {
        return "Quote{symbolId=" + symbolId + ", bid=" + FixedPoint.toString(bid) + "x" + bidSize
            + ", ask=" + FixedPoint.toString(ask) + "x" + askSize + ", last=" + FixedPoint.toString(last) + "x"
            + lastSize + ", volume=" + volume + ", ts=" + timestampMicros + '}';
    }
}
