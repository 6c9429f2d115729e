package io.ticker.server.ingest;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.ring.QuoteRing;

/**
 * Where the ring's updates come from: the embedded simulator, a recording, or a feed process over Aeron. Every
 * source is the ring's only producer and runs on its own thread; they differ only in who gives the seq (the ring
 * for the embedded ones, the feed's sequencer for the network one).
 */
public interface FeedSource extends FeedStatus, AutoCloseable {
    /** What {@code --feed} takes to mean the simulator inside the server. */
    String EMBEDDED = "embedded";

    /** Starts the source's thread. */
    void start();

    /** Stops the thread; the ring gets nothing more. */
    @Override
    void close();

    /** The source {@code config} asks for, publishing into {@code ring}; not yet started. */
    static FeedSource open(final FeedSettings config, final SymbolUniverse universe, final QuoteRing ring) {
        if (config.replayFile() != null) {
            return new ReplayFeed(config.replayFile(), universe, config.replaySpeed(), ring);
        }
        if (EMBEDDED.equals(config.source())) {
            return new EmbeddedFeed(universe, config.ratePerSecond(), config.zipfExponent(), config.seed(),
                config.feedBursts(), config.feedTickNanos(), ring);
        }
        return new AeronFeedIngest(config.source(), config.feedStreamId(), config.aeronDir(),
            config.feedIdleStrategy(), universe, config.seed(), ring);
    }
}
