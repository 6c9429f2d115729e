package io.ticker.server.ring;

/**
 * What the server holds of the update stream: the ring between the feed and the fan-out, and the history behind it
 * that clients resuming with {@code since} are replayed from.
 *
 * @param ringSize slots in the ring, a power of two
 * @param waitStrategy how the ring is consumed, one of {@link WaitStrategies#NAMES}
 * @param historyUpdates updates held for clients that resume with {@code since}; 0 holds none
 */
public record RingSettings(int ringSize, String waitStrategy, int historyUpdates) {
    /**
     * Slots in the ring: each holds a preallocated quote (120 bytes), so the ring is 2 MB of heap at this size. The
     * default inline consumer drains the ring at the end of every feed burst and whenever it fills; a consumer thread
     * may fall this far behind (0.3 s at 50,000 updates/s) before the feed waits for it.
     */
    public static final int RING_SIZE_DEFAULT = 16 * 1024;
    /** The fan-out runs on the feed's thread after each burst: no consumer thread, one hand-off fewer. */
    public static final String WAIT_STRATEGY_DEFAULT = WaitStrategies.INLINE;
    /**
     * Updates held for clients that resume with {@code since}: about 13 s of the default 5,000 updates/s feed, in
     * about 8 MB ({@code QuoteHistory.BYTES_PER_UPDATE} each), beyond the few seconds a reconnect or a failover takes.
     */
    public static final int HISTORY_UPDATES_DEFAULT = 64 * 1024;
    /** The most updates {@code --history} may hold: about 1.2 GB. */
    public static final int HISTORY_UPDATES_MAX = 10_000_000;
}
