package io.ticker.server.ingest;

import io.ticker.feed.FeedBursts;
import java.nio.file.Path;

/**
 * The settings {@link FeedSource#open} chooses and builds a source from. The server's configuration implements it;
 * the ingest package names what it reads here so that it does not depend on the package that assembles the server.
 */
public interface FeedSettings {
    /** A recording to replay, or {@code null} for a live source. */
    Path replayFile();

    /** How much faster than recorded a replay runs. */
    double replaySpeed();

    /** {@link FeedSource#EMBEDDED}, or the Aeron channel of a feed process. */
    String feed();

    /** The embedded simulator's quotes per second. */
    double ratePerSecond();

    /** The embedded simulator's Zipf exponent: how much busier the busiest symbols are. */
    double zipfExponent();

    /** The seed of the simulator's price model (and of the universe a network feed must match). */
    long seed();

    /** The embedded simulator's bursts above its rate. */
    FeedBursts feedBursts();

    /** The embedded feed's wake-up period, nanoseconds. */
    long feedTickNanos();

    /** The Aeron stream id of a network feed. */
    int feedStreamId();

    /** The directory of an external Aeron media driver; {@code null} runs an embedded one. */
    String aeronDir();

    /** How the network feed's thread waits when there is nothing to read. */
    String feedIdleStrategy();
}
