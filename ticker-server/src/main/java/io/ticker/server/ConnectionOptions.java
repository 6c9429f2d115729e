package io.ticker.server;

import static io.ticker.feed.OneLineErrors.require;

import io.ticker.server.socket.ConnectionSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link ConnectionSettings}, a picocli mixin; its fields start at the settings' defaults. */
final class ConnectionOptions {
    @Option(names = "--max-message-size", paramLabel = "BYTES",
        description = "Largest inbound message; larger ones get close 1009. Default: ${DEFAULT-VALUE}")
    int maxMessageSizeBytes = ConnectionSettings.MAX_MESSAGE_SIZE_BYTES_DEFAULT;

    @Option(names = "--max-subscriptions", paramLabel = "N",
        description = "Symbols one connection may subscribe to; more gets SUBSCRIPTION_LIMIT. "
            + "Default: ${DEFAULT-VALUE}")
    int maxSubscriptionsPerConnection = ConnectionSettings.MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT;

    @Option(names = "--command-rate", paramLabel = "PER_SECOND",
        description = "Commands per second one connection may send; more get RATE_LIMITED, and persisting gets "
            + "close 1008. 0 = no limit. Default: ${DEFAULT-VALUE}")
    double commandRatePerSecond = ConnectionSettings.COMMAND_RATE_PER_SECOND_DEFAULT;

    @Option(names = "--command-burst", paramLabel = "N",
        description = "Commands one connection may send at once before the rate applies. Default: ${DEFAULT-VALUE}")
    double commandBurst = ConnectionSettings.COMMAND_BURST_DEFAULT;

    @Option(names = "--max-fragments", paramLabel = "N",
        description = "Frames one inbound message may arrive in; more get close 1009. Default: ${DEFAULT-VALUE}")
    int maxFragmentsPerMessage = ConnectionSettings.MAX_FRAGMENTS_PER_MESSAGE_DEFAULT;

    @Option(names = "--inbound-frame-rate", paramLabel = "PER_SECOND",
        description = "Frames of any kind (data, fragments, pings, pongs) one connection may send per second; a "
            + "client that empties its burst gets close 1008. 0 = no limit. Default: ${DEFAULT-VALUE}")
    double inboundFrameRatePerSecond = ConnectionSettings.INBOUND_FRAME_RATE_PER_SECOND_DEFAULT;

    @Option(names = "--inbound-frame-burst", paramLabel = "N",
        description = "Frames one connection may send at once before --inbound-frame-rate applies. "
            + "Default: ${DEFAULT-VALUE}")
    double inboundFrameBurst = ConnectionSettings.INBOUND_FRAME_BURST_DEFAULT;

    @Option(names = "--write-path", paramLabel = ConnectionSettings.WRITE_PATH_DIRECT + "|"
        + ConnectionSettings.WRITE_PATH_UNDERTOW,
        description = "How frames reach the socket: direct writes header and payload in one system call; undertow "
            + "goes through Undertow's WebSocket send API (for comparison; connections with an extension always "
            + "do). Default: ${DEFAULT-VALUE}")
    String writePath = ConnectionSettings.WRITE_PATH_DEFAULT;

    ConnectionSettings settings() {
        return new ConnectionSettings(maxSubscriptionsPerConnection, maxMessageSizeBytes, commandRatePerSecond,
            commandBurst, maxFragmentsPerMessage, inboundFrameRatePerSecond, inboundFrameBurst,
            ConnectionSettings.WRITE_PATH_DIRECT.equals(writePath));
    }

    /** Checks the flags' values, naming the first bad flag. */
    void validate(final CommandLine cli) {
        require(cli, maxMessageSizeBytes >= 128, "--max-message-size",
            "must be at least 128 bytes, was " + maxMessageSizeBytes);
        require(cli, maxSubscriptionsPerConnection >= 1, "--max-subscriptions", "must be at least 1");
        require(cli, commandRatePerSecond >= 0, "--command-rate", "must be 0 or more");
        require(cli, commandBurst >= 1, "--command-burst", "must be at least 1");
        require(cli, maxFragmentsPerMessage >= 1, "--max-fragments", "must be at least 1");
        require(cli, inboundFrameRatePerSecond >= 0, "--inbound-frame-rate", "must be 0 or more");
        require(cli, inboundFrameBurst >= 1, "--inbound-frame-burst", "must be at least 1");
        require(cli, ConnectionSettings.WRITE_PATH_DIRECT.equals(writePath)
            || ConnectionSettings.WRITE_PATH_UNDERTOW.equals(writePath), "--write-path",
            "must be direct or undertow, was " + writePath);
    }
}
