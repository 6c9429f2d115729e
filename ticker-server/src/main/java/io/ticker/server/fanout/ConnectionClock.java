package io.ticker.server.fanout;

/**
 * When things happened to one connection, as its shard's housekeeping ({@link Liveness}) needs them: when it
 * connected, whether it has sent a command, when it was last heard from, when output to it stopped, and when it is
 * pinged next. Owning IO thread, except {@link #heard}.
 */
final class ConnectionClock {
    static final long PING_UNSCHEDULED = Long.MIN_VALUE;

    private final long connectedNanos = System.nanoTime();
    private volatile long lastHeardNanos = System.nanoTime();
    /** Whether the client has sent a command: one that never does only holds a slot (see --idle-timeout). */
    private boolean commanded;
    private long closingSinceNanos;
    /** When the shard pings this connection next (its clock, its housekeeping thread). */
    long nextPingNanos = PING_UNSCHEDULED;

    /** The client showed a sign of life (any frame, pong included). Any thread. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** The client sent a command (a whole text message, valid or not). */
    void commandReceived() {
        commanded = true;
    }

    /** How long the client has been connected without sending a command; 0 once it has sent one. */
    long idleNanos(final long nowNanos) {
        return commanded ? 0 : nowNanos - connectedNanos;
    }

    /** Output to the connection stopped now. */
    void closing() {
        closingSinceNanos = System.nanoTime();
    }

    /** When output stopped. */
    long closingSinceNanos() {
        return closingSinceNanos;
    }
}
