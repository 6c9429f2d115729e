package io.ticker.server;

import static io.ticker.feed.OneLineErrors.require;
import static io.ticker.server.DurationFlags.millis;
import static io.ticker.server.DurationFlags.positive;

import io.ticker.protocol.DurationText;
import io.ticker.server.fanout.LivenessSettings;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link LivenessSettings}, a picocli mixin; its fields start at the settings' defaults. */
final class LivenessOptions {
    @Option(names = "--ping-interval", paramLabel = "DURATION", defaultValue = LivenessSettings.PING_INTERVAL_DEFAULT,
        description = "WebSocket ping interval; a connection silent for 3 intervals is closed. "
            + "Default: ${DEFAULT-VALUE}")
    Duration pingInterval = DurationText.parse(LivenessSettings.PING_INTERVAL_DEFAULT);

    @Option(names = "--stall-timeout", paramLabel = "DURATION", defaultValue = LivenessSettings.STALL_TIMEOUT_DEFAULT,
        description = "How long a client may leave a frame untaken (reading nothing) before it is closed with 1008 "
            + "and its memory freed; meanwhile it is conflated. Default: ${DEFAULT-VALUE}")
    Duration stallTimeout = DurationText.parse(LivenessSettings.STALL_TIMEOUT_DEFAULT);

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = LivenessSettings.IDLE_TIMEOUT_DEFAULT,
        description = "How long a connection may stay without sending a command; then close 1008. The browser page "
            + "subscribes at once. Default: ${DEFAULT-VALUE}")
    Duration idleTimeout = DurationText.parse(LivenessSettings.IDLE_TIMEOUT_DEFAULT);

    LivenessSettings settings() {
        return new LivenessSettings(millis(pingInterval), millis(stallTimeout), millis(idleTimeout));
    }

    /** Checks the flags' values, naming the first bad flag. */
    void validate(final CommandLine cli) {
        require(cli, positive(pingInterval), "--ping-interval", "must be positive");
        require(cli, positive(stallTimeout), "--stall-timeout", "must be positive");
        require(cli, positive(idleTimeout), "--idle-timeout", "must be positive");
    }
}
