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
 * The feed simulator running inside the server on its own thread, publishing into the ring. It wakes once per tick
 * ({@code --feed-tick}, 1 ms by default, as the comparison peers' feeds do; {@link TickIdleStrategy} sleeps a tick
 * from its last wake-up) and makes every quote that has come due since; the simulator's schedule keeps the average
 * rate exact however it is woken. Quotes are stamped when they are made, so the tick shapes batching (several
 * updates per ring batch, per frame and per write), never the latency a client measures. Tick 0 selects a back-off
 * idler that wakes every few microseconds instead, which costs about a twentieth of a core in futex calls and context
 * switches at 5,000 updates/s.
 */
public final class EmbeddedFeed implements FeedSource {
    /** Longest park between checks for due quotes: bounds how late a quote can be created. */
    public static final long MAX_PARK_NS = 100_000;

    private final AgentRunner runner;

    /**
     * A feed over {@code universe} at {@code ratePerSecond}, rising by {@code bursts}, waking every
     * {@code tickNanos}, not yet started.
     */
    public EmbeddedFeed(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final FeedBursts bursts,
        final long tickNanos,
        final QuoteSink sink) {
        final FeedSimulator simulator = new FeedSimulator(universe, ratePerSecond, zipfExponent, seed, bursts, sink);
        runner = tickNanos > 0 ? runnerFor(simulator, new TickIdleStrategy(tickNanos)) : runnerFor(simulator);
    }

    /**
     * The thread of an in-process quote source (the simulator, a replay): parks up to {@link #MAX_PARK_NS} when idle
     * and reports errors on stderr under the agent's role name.
     */
    static AgentRunner runnerFor(final Agent source) {
        return runnerFor(source, new BackoffIdleStrategy(1, 1, 1_000, MAX_PARK_NS));
    }

    private static AgentRunner runnerFor(final Agent source, final IdleStrategy idle) {
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
