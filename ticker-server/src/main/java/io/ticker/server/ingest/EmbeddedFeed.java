package io.ticker.server.ingest;

import io.ticker.feed.FeedBursts;
import io.ticker.feed.FeedSimulator;
import io.ticker.feed.QuoteSink;
import io.ticker.feed.SymbolUniverse;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The feed simulator running inside the server on its own thread, publishing into the ring. The idle strategy parks
 * for up to {@link #MAX_PARK_NS} between quotes, which keeps the feed to a sliver of a core at the default rate.
 */
public final class EmbeddedFeed implements FeedSource {
    /** Longest park between checks for due quotes: bounds how late a quote can be created. */
    public static final long MAX_PARK_NS = 100_000;

    private final AgentRunner runner;

    /** A feed over {@code universe} at {@code ratePerSecond}, rising by {@code bursts}, not yet started. */
    public EmbeddedFeed(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final FeedBursts bursts,
        final QuoteSink sink) {
        runner = runnerFor(new FeedSimulator(universe, ratePerSecond, zipfExponent, seed, bursts, sink));
    }

    /**
     * The thread of an in-process quote source (the simulator, a replay): parks up to {@link #MAX_PARK_NS} when idle
     * and reports errors on stderr under the agent's role name.
     */
    static AgentRunner runnerFor(final Agent source) {
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, MAX_PARK_NS);
        return new AgentRunner(idle, error -> System.err.println(source.roleName() + ": " + error), null, source);
    }

    /** Starts the feed thread. */
    @Override
    public void start() {
        AgentRunner.startOnThread(runner);
    }

    @Override
    public void close() {
        runner.close();
    }
}
