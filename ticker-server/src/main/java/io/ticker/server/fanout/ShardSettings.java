package io.ticker.server.fanout;

/**
 * What a {@link FanoutShard} is allowed: set once, at construction, from the server's settings.
 *
 * @param maxFlushDelayNanos how long a shard may hold its subscribers' output after a drain, so that several ring
 *     batches share one frame and one write per subscriber (fewer system calls per quote, at most that much added
 *     latency); 0 flushes at the end of every drain
 * @param maxQueuedBytesPerConnection what one subscriber may hold for a client that does not take its frames before
 *     it is closed with 1008
 * @param queuedBytesBudget what all of the shard's subscribers may hold together: its share of the server's budget
 * @param firehoseSlots the firehose cap, shared by every shard of the server
 * @param idleTimeoutNanos how long a connection may go without sending a command before it is closed with 1008
 */
public record ShardSettings(
    long maxFlushDelayNanos,
    long maxQueuedBytesPerConnection,
    long queuedBytesBudget,
    FirehoseSlots firehoseSlots,
    long idleTimeoutNanos) {

    /** No flush delay and no limits: a shard on its own, in tests and benchmarks. */
    public static ShardSettings unlimited() {
        return new ShardSettings(0, Long.MAX_VALUE, Long.MAX_VALUE, FirehoseSlots.unlimited(), Long.MAX_VALUE);
    }
}
