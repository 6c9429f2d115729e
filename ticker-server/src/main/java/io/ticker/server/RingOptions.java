package io.ticker.server;

import static io.ticker.feed.OneLineErrors.invalid;
import static io.ticker.feed.OneLineErrors.require;

import io.ticker.server.book.QuoteHistory;
import io.ticker.server.ring.RingSettings;
import io.ticker.server.ring.WaitStrategies;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link RingSettings}, a picocli mixin; its fields start at the settings' defaults. */
final class RingOptions {
    @Option(names = "--ring-size", paramLabel = "SLOTS",
        description = "Slots in the Disruptor ring, a power of two. Default: ${DEFAULT-VALUE}")
    int ringSize = RingSettings.RING_SIZE_DEFAULT;

    @Option(names = "--history", paramLabel = "UPDATES",
        description = "Recent updates held so that a client resuming with 'since' gets the quotes it missed "
            + "(0 holds none; " + QuoteHistory.BYTES_PER_UPDATE + " bytes each). Default: ${DEFAULT-VALUE}")
    int historyUpdates = RingSettings.HISTORY_UPDATES_DEFAULT;

    @Option(names = "--wait-strategy", paramLabel = "NAME",
        description = "How the ring is consumed: " + WaitStrategies.NAMES + ". 'inline' runs the fan-out on the "
            + "feed's thread after each burst (no consumer thread, one hand-off fewer); 'blocking' parks a consumer "
            + "thread between bursts; 'yielding' and 'busy-spin' burn a core for lower latency. "
            + "Default: ${DEFAULT-VALUE}")
    String waitStrategy = RingSettings.WAIT_STRATEGY_DEFAULT;

    RingSettings settings() {
        return new RingSettings(ringSize, waitStrategy, historyUpdates);
    }

    /** Checks the flags' values, naming the first bad flag. */
    void validate(final CommandLine cli) {
        require(cli, ringSize >= 64 && Integer.bitCount(ringSize) == 1, "--ring-size",
            "must be a power of two of at least 64, was " + ringSize);
        require(cli, historyUpdates >= 0 && historyUpdates <= RingSettings.HISTORY_UPDATES_MAX, "--history",
            "must be 0 to " + RingSettings.HISTORY_UPDATES_MAX + " updates, was " + historyUpdates);
        try {
            WaitStrategies.byName(waitStrategy);
        } catch (final IllegalArgumentException e) {
            throw invalid(cli, "--wait-strategy", e.getMessage());
        }
    }
}
