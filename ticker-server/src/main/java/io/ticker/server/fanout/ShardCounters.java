package io.ticker.server.fanout;

import io.ticker.protocol.ErrorCode;
import io.ticker.server.metrics.Counter;
import io.ticker.server.metrics.LatencyRecorder;

/**
 * What one shard counts and times, written by its IO thread only and read by the /metrics scrape and the health
 * page from any thread ({@link Counter}). No allocation: most of these are written per update or per frame.
 */
public final class ShardCounters {
    private final Counter quotesDelivered = new Counter();
    private final Counter quotesConflated = new Counter();
    private final Counter quotesReplayed = new Counter();
    private final Counter framesSent = new Counter();
    private final Counter bytesSent = new Counter();
    private final Counter connectionsOpened = new Counter();
    private final Counter subscriptions = new Counter();
    private final Counter connections = new Counter();
    private final Counter firehoseSubscribers = new Counter();
    private final Counter stalledClosed = new Counter();
    private final Counter queueLimitClosed = new Counter();
    /** Bytes the shard's subscribers hold for clients that have not taken their last frame. */
    private final Counter queuedBytes = new Counter();
    private final Counter[] errors = new Counter[ErrorCode.values().length];
    private final LatencyRecorder ringToSocket = new LatencyRecorder();

    ShardCounters() {
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new Counter();
        }
    }

    void delivered(final long quotes) {
        quotesDelivered.add(quotes);
    }

    /** Quotes replayed from the history to resuming clients, delivered (conflated ones count as conflated). */
    void replayed(final long quotes) {
        quotesDelivered.add(quotes);
        quotesReplayed.add(quotes);
    }

    void conflated() {
        quotesConflated.increment();
    }

    void frame(final int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    void connectionOpened() {
        connections.increment();
        connectionsOpened.increment();
    }

    void connectionClosed() {
        connections.add(-1);
    }

    void subscriptionsChanged(final long delta) {
        subscriptions.add(delta);
    }

    void firehoseChanged(final long delta) {
        firehoseSubscribers.add(delta);
    }

    void closedStalled() {
        stalledClosed.increment();
    }

    void closedOverQueueLimit() {
        queueLimitClosed.increment();
    }

    void queuedBytesChanged(final long delta) {
        queuedBytes.add(delta);
    }

    void error(final ErrorCode code) {
        errors[code.ordinal()].increment();
    }

    /** A frame went out {@code nanos} after the oldest update in it entered the ring. */
    void ringToSocket(final long nanos) {
        ringToSocket.recordMicros(nanos / 1_000);
    }

    /** Ring-to-socket latencies of the shard's frames, recorded on its IO thread. */
    public LatencyRecorder ringToSocketLatency() {
        return ringToSocket;
    }

    public long quotesDelivered() {
        return quotesDelivered.get();
    }

    /** Quotes replayed to resuming clients and delivered: part of {@link #quotesDelivered()}. */
    public long quotesReplayed() {
        return quotesReplayed.get();
    }

    public long quotesConflated() {
        return quotesConflated.get();
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long connections() {
        return connections.get();
    }

    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    public long stalledClosed() {
        return stalledClosed.get();
    }

    /** Subscribers closed for queuing more than their cap, or growing while the budget was spent. */
    public long queueLimitClosed() {
        return queueLimitClosed.get();
    }

    /** Bytes held now for clients that have not taken their last frame. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public long firehoseSubscribers() {
        return firehoseSubscribers.get();
    }

    public long subscriptions() {
        return subscriptions.get();
    }

    public long errors(final ErrorCode code) {
        return errors[code.ordinal()].get();
    }
}
