package io.ticker.server.fanout;

import com.lmax.disruptor.EventHandler;
import io.ticker.feed.SymbolUniverse;
import io.ticker.server.metrics.AnchoredEpochMicroClock;
import io.ticker.server.metrics.Counter;
import io.ticker.server.metrics.LatencyRecorder;
import io.ticker.server.ring.QuoteEvent;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.EpochMicroClock;

/**
 * The ring's handler: encodes each update once into the current {@link QuoteBatch} and, at the ring's end of batch,
 * hands the batch to every {@link FanoutShard}. Quiet markets so give single-update batches at once; busy ones give
 * large batches, and so large frames and few system calls per subscriber (smart batching).
 *
 * <p>It also records the feed-to-ring hop of every update: from the feed's {@code ts} to when this handler takes the
 * update, on the wall clock.
 */
public final class BatchPublisher implements EventHandler<QuoteEvent> {
    /** Batches in flight between the ring thread and the shards. */
    public static final int BATCHES_IN_FLIGHT = 64;

    private final SymbolUniverse universe;
    private final FanoutShard[] shards;
    private final BatchPool pool = new BatchPool(BATCHES_IN_FLIGHT);
    private final Counter quotesPublished = new Counter();
    private final Counter batchesPublished = new Counter();
    private final Counter waitsForShards = new Counter();
    private final LatencyRecorder feedToRing = new LatencyRecorder();
    private final EpochMicroClock clock;
    private volatile long lastSeq = -1;
    private QuoteBatch current;

    /** Fans out to {@code shards}, one per IO thread. */
    public BatchPublisher(final SymbolUniverse universe, final FanoutShard[] shards) {
        this(universe, shards, new AnchoredEpochMicroClock());
    }

    /**
     * Fans out to {@code shards}, timing the feed-to-ring hop on {@code clock}, which the ring thread reads once per
     * update and so must not allocate.
     */
    public BatchPublisher(final SymbolUniverse universe, final FanoutShard[] shards, final EpochMicroClock clock) {
        this.universe = universe;
        this.clock = clock;
        this.shards = shards.clone();
        this.current = pool.take();
    }

    @Override
    public void onEvent(final QuoteEvent event, final long sequence, final boolean endOfBatch) {
        feedToRing.recordMicros(clock.microTime() - event.quote.timestampMicros);
        current.add(event.seq, event.quote, universe.symbolAscii(event.quote.symbolId), event.publishNanos);
        if (endOfBatch) {
            publish(event.seq);
        }
    }

    private void publish(final long seq) {
        final QuoteBatch batch = current;
        quotesPublished.add(batch.count());
        batchesPublished.increment();
        batch.retain(shards.length);
        for (final FanoutShard shard : shards) {
            shard.offer(batch);
        }
        lastSeq = seq;
        current = nextBatch();
    }

    private QuoteBatch nextBatch() {
        QuoteBatch batch = pool.take();
        if (batch == null) {
            waitsForShards.increment();
            while ((batch = pool.take()) == null) {
                LockSupport.parkNanos(10_000);
            }
        }
        return batch;
    }

    /** Updates handed to the shards so far. */
    public long quotesPublished() {
        return quotesPublished.get();
    }

    /** Ring batches handed to the shards so far. */
    public long batchesPublished() {
        return batchesPublished.get();
    }

    /** Times the ring thread had to wait for a shard to free a batch. */
    public long waitsForShards() {
        return waitsForShards.get();
    }

    /** Feed-to-ring latencies, recorded on the ring thread. */
    public LatencyRecorder feedToRingLatency() {
        return feedToRing;
    }

    /** The seq of the newest update handed to the shards, -1 before the first. */
    public long lastSeq() {
        return lastSeq;
    }
}
