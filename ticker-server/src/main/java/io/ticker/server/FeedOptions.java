package io.ticker.server;

import static io.ticker.feed.OneLineErrors.invalid;
import static io.ticker.feed.OneLineErrors.require;
import static io.ticker.feed.OneLineErrors.requireReadable;

import io.ticker.feed.AeronConnection;
import io.ticker.feed.IdleStrategies;
import io.ticker.feed.SimulationOptions;
import io.ticker.protocol.DurationText;
import io.ticker.server.ingest.AeronFeedIngest;
import io.ticker.server.ingest.FeedSettings;
import io.ticker.server.ingest.FeedSource;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of {@link FeedSettings}, a picocli mixin: the simulator's own ({@link SimulationOptions}, shared with
 * the feed simulator) and the server's choice of source. Its fields start at the settings' defaults.
 */
final class FeedOptions {
    @Mixin
    final SimulationOptions simulation = new SimulationOptions();

    @Option(names = "--feed-tick", paramLabel = "DURATION", defaultValue = FeedSettings.FEED_TICK_DEFAULT,
        description = "How often the embedded feed wakes to make the updates due since then (one ring batch per "
            + "tick, as the comparison peers' 1 ms feed timers). Updates are stamped when made, so this shapes "
            + "batching, not measured latency; 0 wakes every few microseconds instead. Default: ${DEFAULT-VALUE}")
    Duration feedTick = DurationText.parse(FeedSettings.FEED_TICK_DEFAULT);

    @Option(names = "--feed", paramLabel = "SOURCE",
        description = "Where quotes come from: 'embedded' (the simulator in this process) or the Aeron channel of "
            + "a feed-simulator --publish process, e.g. aeron:udp?endpoint=localhost:40123, or for MDC "
            + "'aeron:udp?endpoint=localhost:0|control=localhost:40456|control-mode=dynamic'. --symbols and --seed "
            + "must be the feed's. Default: ${DEFAULT-VALUE}")
    String source = FeedSource.EMBEDDED;

    @Option(names = "--feed-stream-id", paramLabel = "ID",
        description = "Aeron stream id of the feed. Default: ${DEFAULT-VALUE}")
    int feedStreamId = AeronConnection.STREAM_ID_DEFAULT;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external Aeron media driver in DIR; by default an embedded one runs in this process.")
    String aeronDir;

    @Option(names = "--feed-idle-strategy", paramLabel = "NAME",
        description = "How the Aeron feed thread waits for messages: sleeping-millis, sleeping, backoff (parks at "
            + "most 100us), yielding, busy-spin; the last two burn a core. Default: ${DEFAULT-VALUE}")
    String feedIdleStrategy = AeronFeedIngest.IDLE_STRATEGY_DEFAULT;

    @Option(names = "--replay", paramLabel = "FILE",
        description = "Play a recording (feed-simulator --out JSON lines) in place of the embedded simulator.")
    Path replayFile;

    @Option(names = "--speed", paramLabel = "N",
        description = "With --replay: 1 is the recorded pace, N times faster, 0 as fast as possible. "
            + "Default: ${DEFAULT-VALUE}")
    double replaySpeed = FeedSettings.REPLAY_SPEED_DEFAULT;

    /** Whether the server runs a feed at all: no flag, tests that publish quotes themselves turn it off. */
    boolean enabled = true;

    FeedSettings settings() {
        return new FeedSettings(enabled, source, simulation.symbols(), simulation.ratePerSecond(),
            simulation.bursts(), simulation.zipfExponent(), simulation.seed(), feedTick.toNanos(), feedStreamId,
            aeronDir, feedIdleStrategy, replayFile, replaySpeed);
    }

    /** Checks the flags' values, naming the first bad flag. */
    void validate(final CommandLine cli) {
        simulation.validate(cli);
        require(cli, !feedTick.isNegative() && feedTick.toMillis() <= 100, "--feed-tick",
            "must be 0 to 100ms, was " + DurationText.format(feedTick));
        if (!FeedSource.EMBEDDED.equals(source)) {
            try {
                AeronConnection.validateChannel(source);
            } catch (final IllegalArgumentException e) {
                throw invalid(cli, "--feed", e.getMessage() + " (or 'embedded')");
            }
            require(cli, replayFile == null, "--replay",
                "plays into the embedded feed; it cannot go with --feed " + source);
        }
        try {
            IdleStrategies.byName(feedIdleStrategy);
        } catch (final IllegalArgumentException e) {
            throw invalid(cli, "--feed-idle-strategy", e.getMessage());
        }
        requireReadable(cli, replayFile, "--replay", "a recording written by feed-simulator --out");
        require(cli, replaySpeed >= 0 && !Double.isInfinite(replaySpeed), "--speed",
            "must be 0 or more, was " + replaySpeed);
        require(cli, simulation.bursts().isSteady() || settings().simulated(), "--burst-every",
            "shapes the embedded simulator's rate; it cannot go with --feed or --replay");
    }
}
