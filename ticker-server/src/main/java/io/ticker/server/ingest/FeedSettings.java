package io.ticker.server.ingest;

import io.ticker.feed.FeedBursts;
import java.nio.file.Path;

/**
 * Where the server's quotes come from and, for the embedded simulator, what it makes: the settings
 * {@link FeedSource#open} chooses and builds a source from. The simulator's own defaults ({@code --symbols},
 * {@code --rate}, {@code --zipf}, {@code --seed}, the bursts) are the feed simulator's constants; the ones below are
 * the server's.
 *
 * @param enabled whether the server runs a feed at all; tests that publish quotes themselves turn it off
 * @param source {@link FeedSource#EMBEDDED} (the simulator in this process) or the Aeron channel of a feed process
 * @param symbols symbols in the universe (a network feed's must match)
 * @param ratePerSecond the embedded simulator's updates per second across all symbols
 * @param feedBursts when and how much the embedded simulator's rate rises above {@code ratePerSecond}
 * @param zipfExponent how much busier the busiest symbols are
 * @param seed the seed of the universe and the price model (a network feed's must match)
 * @param feedTickNanos the embedded feed's wake-up period; 0 is a back-off idler waking every few microseconds
 * @param feedStreamId the Aeron stream id of a network feed
 * @param aeronDir the directory of an external Aeron media driver; null runs an embedded one
 * @param feedIdleStrategy how the network feed's thread waits when there is nothing to read
 * @param replayFile a recording to play in place of the embedded simulator; null for none
 * @param replaySpeed 1 for the recorded pace, N times faster, 0 as fast as possible
 */
public record FeedSettings(
    boolean enabled,
    String source,
    int symbols,
    double ratePerSecond,
    FeedBursts feedBursts,
    double zipfExponent,
    long seed,
    long feedTickNanos,
    int feedStreamId,
    String aeronDir,
    String feedIdleStrategy,
    Path replayFile,
    double replaySpeed) {

    /**
     * The embedded feed's wake-up period: one ring batch per tick, as the comparison peers' 1 ms feed timers.
     * Updates are stamped when made, so it shapes batching, not measured latency.
     */
    public static final String FEED_TICK_DEFAULT = "1ms";
    /** A replay's pace: as recorded. */
    public static final double REPLAY_SPEED_DEFAULT = 1;

    /** Whether the quotes are the simulator's, made in this process (not a recording, not a feed process's). */
    public boolean simulated() {
        return replayFile == null && FeedSource.EMBEDDED.equals(source);
    }
}
