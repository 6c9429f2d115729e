package io.ticker.benchmarks;

import io.ticker.feed.FeedSimulator;
import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;

/**
 * Realistic quotes recorded from the feed simulator before a benchmark starts, so that a benchmark replays varied
 * prices and sizes (varied encoded lengths) without paying for the price model inside the measured method.
 * Tapes are a power of two long, so a replay indexes with {@code next++ & (length - 1)}.
 */
public final class QuoteTape {
    /** Quotes on a tape: enough variety that branch predictors cannot learn the prices. */
    public static final int LENGTH = 1024;
    /** Feed seed shared by every benchmark, so runs replay the same quotes. */
    public static final long SEED = 42;
    /** Feed quotes recorded at most while looking for one symbol's quotes before giving up. */
    private static final int SEARCH_QUOTES_MAX = 50_000_000;

    private QuoteTape() {
    }

    /** The first {@link #LENGTH} quotes of the feed over {@code universe}, Zipf-distributed over its symbols. */
    public static Quote[] record(final SymbolUniverse universe) {
        final Quote[] tape = new Quote[LENGTH];
        final int[] recorded = new int[1];
        final FeedSimulator feed = new FeedSimulator(
            universe, FeedSimulator.RATE_PER_SECOND_DEFAULT, FeedSimulator.ZIPF_EXPONENT_DEFAULT, SEED,
            quote -> tape[recorded[0]++] = new Quote().copyFrom(quote));
        feed.emit(LENGTH);
        return tape;
    }

    /** The first {@link #LENGTH} quotes the feed makes for {@code symbolId}: one symbol's real price path. */
    public static Quote[] recordSymbol(final SymbolUniverse universe, final int symbolId) {
        final Quote[] tape = new Quote[LENGTH];
        final int[] recorded = new int[1];
        final FeedSimulator feed = new FeedSimulator(
            universe, FeedSimulator.RATE_PER_SECOND_DEFAULT, FeedSimulator.ZIPF_EXPONENT_DEFAULT, SEED,
            quote -> {
                if (quote.symbolId == symbolId && recorded[0] < LENGTH) {
                    tape[recorded[0]++] = new Quote().copyFrom(quote);
                }
            });
        while (recorded[0] < LENGTH) {
            if (feed.quotesMade() > SEARCH_QUOTES_MAX) {
                throw new IllegalArgumentException("symbol " + symbolId + " is too rare to record");
            }
            feed.emit(FeedSimulator.BURST_QUOTES_MAX);
        }
        return tape;
    }
}
