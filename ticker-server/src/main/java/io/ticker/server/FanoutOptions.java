package io.ticker.server;

import static io.ticker.feed.OneLineErrors.require;

import io.ticker.protocol.DurationText;
import io.ticker.server.fanout.FanoutSettings;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link FanoutSettings}, a picocli mixin; its fields start at the settings' defaults. */
final class FanoutOptions {
    @Option(names = "--max-flush-delay", paramLabel = "DURATION", defaultValue = FanoutSettings.MAX_FLUSH_DELAY_DEFAULT,
        description = "How long each IO thread may hold subscribers' quotes to send more per write: fewer system "
            + "calls per quote for at most this much latency. 0 sends at the end of every ring batch. "
            + "Default: ${DEFAULT-VALUE}")
    Duration maxFlushDelay = DurationText.parse(FanoutSettings.MAX_FLUSH_DELAY_DEFAULT);

    @Option(names = "--max-queued-bytes", paramLabel = "BYTES",
        description = "Output one connection may hold for a client that has not taken its last frame (replies, "
            + "snapshots, conflated quotes); more gets close 1008 and the memory freed. Default: ${DEFAULT-VALUE}")
    long maxQueuedBytesPerConnection = FanoutSettings.MAX_QUEUED_BYTES_PER_CONNECTION_DEFAULT;

    @Option(names = "--max-queued-total", paramLabel = "BYTES",
        description = "Queued output of all connections together; from 3/4 of it upgrades get 503, past it the "
            + "clients holding the most are closed with 1008. 0 = a quarter of the heap (-Xmx). "
            + "Default: ${DEFAULT-VALUE}")
    long maxQueuedBytesTotal = FanoutSettings.MAX_QUEUED_BYTES_TOTAL_DEFAULT;

    @Option(names = "--max-firehose", paramLabel = "N",
        description = "Connections subscribed to every symbol ('*') in all; more get SUBSCRIPTION_LIMIT. '*' also "
            + "counts as every symbol against --max-subscriptions. Default: ${DEFAULT-VALUE}")
    int maxFirehoseSubscribers = FanoutSettings.MAX_FIREHOSE_SUBSCRIBERS_DEFAULT;

    FanoutSettings settings() {
        return new FanoutSettings(maxFlushDelay.toNanos(), maxQueuedBytesPerConnection, maxQueuedBytesTotal,
            maxFirehoseSubscribers);
    }

    /** Checks the flags' values, naming the first bad flag. */
    void validate(final CommandLine cli) {
        require(cli, !maxFlushDelay.isNegative() && maxFlushDelay.toMillis() <= 1_000, "--max-flush-delay",
            "must be 0 to 1s, was " + DurationText.format(maxFlushDelay));
        require(cli, maxQueuedBytesPerConnection >= 64 * 1024, "--max-queued-bytes",
            "must be at least 65536, was " + maxQueuedBytesPerConnection);
        require(cli, maxQueuedBytesTotal >= 0, "--max-queued-total", "must be 0 (a quarter of the heap) or more");
        require(cli, maxFirehoseSubscribers >= 0, "--max-firehose", "must be 0 or more");
    }
}
