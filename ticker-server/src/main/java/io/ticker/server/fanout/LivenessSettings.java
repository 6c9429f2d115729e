package io.ticker.server.fanout;

/**
 * When the fan-out gives up on a connection: one that stops answering pings, one that stops taking its frames, one
 * that never sends a command; the shard's housekeeping applies them.
 *
 * @param pingIntervalMs the WebSocket ping interval; a connection silent for 3 intervals is closed
 * @param stallTimeoutMs how long a subscriber may leave one frame untaken before it is closed with 1008
 * @param idleTimeoutMs how long a connection may stay without sending a command before it is closed with 1008
 */
public record LivenessSettings(int pingIntervalMs, int stallTimeoutMs, int idleTimeoutMs) {
    public static final String PING_INTERVAL_DEFAULT = "15s";
    /** How long a subscriber may leave one frame untaken before it is closed with 1008 and its memory freed. */
    public static final String STALL_TIMEOUT_DEFAULT = "30s";
    /**
     * How long a connection may stay without sending a command (a connection that never subscribes only holds a
     * slot and is pinged for nothing). The browser page subscribes as soon as it opens; a minute is far beyond it.
     */
    public static final String IDLE_TIMEOUT_DEFAULT = "60s";
}
