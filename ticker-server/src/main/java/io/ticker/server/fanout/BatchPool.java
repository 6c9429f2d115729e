package io.ticker.server.fanout;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The free {@link QuoteBatch}es: returned by whichever IO thread finishes a batch last, taken by the ring thread.
 * A fixed number of batches bounds how far IO threads may lag the ring before the ring thread waits for them
 * (never for a subscriber: the shards conflate for slow subscribers and so always finish a batch promptly).
 */
final class BatchPool {
    private final ManyToOneConcurrentArrayQueue<QuoteBatch> free;

    BatchPool(final int batches) {
        free = new ManyToOneConcurrentArrayQueue<>(batches);
        for (int i = 0; i < batches; i++) {
            free.offer(new QuoteBatch(this));
        }
    }

    /** A free batch, or null if every batch is still with the shards. */
    QuoteBatch take() {
        return free.poll();
    }

    void give(final QuoteBatch batch) {
        free.offer(batch);
    }
}
