package io.ticker.server.fanout;

/**
 * What the fan-out may hold back and hold: the flush delay, the output queued for clients that do not take it, the
 * firehose cap. {@link ShardSettings} is each shard's share of it.
 *
 * @param maxFlushDelayNanos how long a shard may hold subscribers' output to batch more quotes per write; 0 flushes
 *     at the end of every drain
 * @param maxQueuedBytesPerConnection output one connection may queue for a client that is not taking it before it
 *     is closed with 1008
 * @param maxQueuedBytesTotal queued output of all connections together, as set: 0 is
 *     {@link #QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT} of the heap, see {@link #queuedBytesBudget()}
 * @param maxFirehoseSubscribers firehose subscribers in all; more get SUBSCRIPTION_LIMIT
 */
public record FanoutSettings(
    long maxFlushDelayNanos,
    long maxQueuedBytesPerConnection,
    long maxQueuedBytesTotal,
    int maxFirehoseSubscribers) {

    /** Flush at the end of every drain: no latency added for fewer writes. */
    public static final String MAX_FLUSH_DELAY_DEFAULT = "0ms";
    /**
     * Output one connection may hold for a client that has not taken its last frame (that frame, replies and
     * snapshots behind it, conflation slots); past it, close 1008. Room for a firehose snapshot of 10,000 symbols.
     */
    public static final long MAX_QUEUED_BYTES_PER_CONNECTION_DEFAULT = 4L * 1024 * 1024;
    /** 0: the budget for all connections' queued output is a share of the heap (the next constant). */
    public static final long MAX_QUEUED_BYTES_TOTAL_DEFAULT = 0;
    /** Queued output of all connections together, as a share of the heap, when {@code --max-queued-total} is 0. */
    public static final double QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT = 0.25;
    /**
     * Share of the budget past which new upgrades get 503. Below 1: clients are closed as soon as they grow past the
     * budget, so queued output does not stay above it for a refusal at the budget to be seen.
     */
    public static final double QUEUED_BYTES_UPGRADE_REFUSAL_SHARE = 0.75;
    /**
     * Firehose ({@code *}) subscribers in all, the most expensive kind (every update, a snapshot of every symbol);
     * far above the 50 of the firehose load test.
     */
    public static final int MAX_FIREHOSE_SUBSCRIBERS_DEFAULT = 1_000;

    /** The budget for all connections' queued output: as set, or the heap share when set to 0. */
    public long queuedBytesBudget() {
        return maxQueuedBytesTotal > 0 ? maxQueuedBytesTotal
            : (long) (Runtime.getRuntime().maxMemory() * QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT);
    }
}
