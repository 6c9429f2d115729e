package io.ticker.server.ingest;

import io.ticker.feed.QuoteReplay;
import io.ticker.feed.SymbolUniverse;
import io.ticker.server.ring.QuoteRing;
import java.nio.file.Path;
import org.agrona.concurrent.AgentRunner;

/**
 * A recording played into the ring in place of the embedded simulator ({@code --replay FILE --speed N}): the same
 * quotes in the same order, so a load test can be repeated exactly. The ring gives the seq, as for the simulator.
 */
public final class ReplayFeed implements FeedSource {
    private final QuoteReplay replay;
    private final AgentRunner runner;

    /** Plays {@code recording} at {@code speed} (0: as fast as possible) into {@code ring}; not yet started. */
    public ReplayFeed(final Path recording, final SymbolUniverse universe, final double speed, final QuoteRing ring) {
        replay = new QuoteReplay(recording, universe, speed, ring);
        runner = EmbeddedFeed.runnerFor(replay);
    }

    @Override
    public void start() {
        AgentRunner.startOnThread(runner);
    }

    @Override
    public void close() {
        runner.close();
        replay.close();
    }
}
