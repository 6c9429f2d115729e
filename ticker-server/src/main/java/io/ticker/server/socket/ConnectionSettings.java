package io.ticker.server.socket;

/**
 * What each client connection is allowed once upgraded, and how its frames reach the socket.
 *
 * @param maxSubscriptionsPerConnection symbols one connection may be subscribed to at once
 * @param maxMessageSizeBytes the largest inbound message; larger is closed with 1009
 * @param commandRatePerSecond commands per second one connection may send (token bucket refill); 0 is no limit
 * @param commandBurst commands one connection may send in a burst (token bucket size)
 * @param maxFragmentsPerMessage frames (fragments) one inbound message may arrive in; more is closed with 1009
 * @param inboundFrameRatePerSecond frames of any kind one connection may send per second; 0 is no limit
 * @param inboundFrameBurst frames of any kind one connection may send in a burst
 * @param directWrites whether quote frames are written straight to the socket (the default) rather than through
 *     Undertow's WebSocket send API, which stays for comparison and for connections with an extension
 */
public record ConnectionSettings(
    int maxSubscriptionsPerConnection,
    int maxMessageSizeBytes,
    double commandRatePerSecond,
    double commandBurst,
    int maxFragmentsPerMessage,
    double inboundFrameRatePerSecond,
    double inboundFrameBurst,
    boolean directWrites) {

    public static final int MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT = 10_000;
    public static final int MAX_MESSAGE_SIZE_BYTES_DEFAULT = 64 * 1024;
    /** Commands per second one connection may send (token bucket refill); 0 is no limit. */
    public static final double COMMAND_RATE_PER_SECOND_DEFAULT = 20;
    /** Commands one connection may send in a burst (token bucket size). */
    public static final double COMMAND_BURST_DEFAULT = 50;
    /** Frames (fragments) one inbound message may arrive in; more is closed with 1009. */
    public static final int MAX_FRAGMENTS_PER_MESSAGE_DEFAULT = 64;
    /**
     * Frames of any kind (data, fragments, pings, pongs) one connection may send per second, refilling its bucket;
     * a browser page sends a few commands and one pong per ping interval.
     */
    public static final double INBOUND_FRAME_RATE_PER_SECOND_DEFAULT = 100;
    /** Frames one connection may send at once before the rate applies; emptying it is closed with 1008. */
    public static final double INBOUND_FRAME_BURST_DEFAULT = 1_000;
    /** {@code --write-path} for {@link #directWrites}: header and payload in one system call. */
    public static final String WRITE_PATH_DIRECT = "direct";
    /** {@code --write-path} through Undertow's WebSocket send API. */
    public static final String WRITE_PATH_UNDERTOW = "undertow";
    public static final String WRITE_PATH_DEFAULT = WRITE_PATH_DIRECT;
}
