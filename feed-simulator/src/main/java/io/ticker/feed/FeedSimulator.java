package io.ticker.feed;

import org.agrona.concurrent.Agent;

/**
 * The market: an agent that, each time {@link #doWork()} is called, makes the quotes that are due at the configured
 * total rate, spread over the universe with a Zipf skew, and hands each to the sink. Deterministic for a seed: the
 * n-th quote has the same symbol and prices on every run; only its timestamp is the wall clock.
 */
public final class FeedSimulator implements Agent {
    /** Updates per second across all symbols when none is asked for. */
    public static final double RATE_PER_SECOND_DEFAULT = 5_000;
    /** Zipf exponent of activity across symbols: 0 is uniform, around 1 is a real market. */
    public static final double ZIPF_EXPONENT_DEFAULT = 1.0;
    /** Seed when none is given. */
    public static final long SEED_DEFAULT = 42;

    /** A feed over {@code universe} at {@code ratePerSecond} into {@code sink}. */
    public FeedSimulator(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final QuoteSink sink) {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public int doWork() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public String roleName() {
        return "feed-simulator";
    }
}
