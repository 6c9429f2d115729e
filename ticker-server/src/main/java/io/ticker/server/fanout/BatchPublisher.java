package io.ticker.server.fanout;

import com.lmax.disruptor.EventHandler;
import io.ticker.feed.SymbolUniverse;
import io.ticker.server.book.QuoteHistory;
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
    private final QuoteHistory history;
    private volatile long lastSeq = -1;
    private volatile long epoch;
    private final Counter resets = new Counter();
    private QuoteBatch current;

    /** Fans out to {@code shards}, one per IO thread, keeping no history. */
    public BatchPublisher(final SymbolUniverse universe, final FanoutShard[] shards) {
        this(universe, shards, new AnchoredEpochMicroClock(), new QuoteHistory(0));
    }

    /**
     * Fans out to {@code shards}, timing the feed-to-ring hop on {@code clock}, which the ring thread reads once per
     * update and so must not allocate, and appending every update to {@code history} before the batch that carries
     * it goes to the shards (so a shard reads there only what it has been handed).
     */
    public BatchPublisher(
        final SymbolUniverse universe,
        final FanoutShard[] shards,
        final EpochMicroClock clock,
        final QuoteHistory history) {
        this.universe = universe;
        this.clock = clock;
        this.history = history;
        this.shards = shards.clone();
        this.current = pool.take();
    }

    @Override
    public void onEvent(final QuoteEvent event, final long sequence, final boolean endOfBatch) {
        if (event.newEpoch != 0) {
            onNewEpoch(event.newEpoch);
        } else {
            feedToRing.recordMicros(clock.microTime() - event.quote.timestampMicros);
            final byte[] symbolAscii = universe.symbolAscii(event.quote.symbolId);
            current.add(event.seq, event.quote, symbolAscii, event.publishNanos);
            history.append(event.seq, event.quote, symbolAscii);
        }
        if (endOfBatch) {
            publish();
        }
    }

    /**
     * A new feed session: the updates before it go out in their own batch, and the next batch starts with the reset,
     * so every shard applies it between the last update of the old session and the first of the new.
     */
    private void onNewEpoch(final long newEpoch) {
        if (current.count() > 0) {
            publish();
        }
        current.startEpoch(newEpoch);
        epoch = newEpoch;
        lastSeq = -1;
        resets.increment();
    }

    private void publish() {
        final QuoteBatch batch = current;
        final int count = batch.count();
        quotesPublished.add(count);
        batchesPublished.increment();
        batch.historyEnd(history.written());
        batch.retain(shards.length);
        for (final FanoutShard shard : shards) {
            shard.offer(batch);
        }
        if (count > 0) {
            lastSeq = batch.seq(count - 1);
        }
        current = nextBatch();
    }

    /**
     * The epoch of the feed session being fanned out: set before the ring starts for a feed inside the server, by
     * the ring's reset events for a network feed; 0 before a network feed is heard.
     */
    public long epoch() {
        return epoch;
    }

    /** Sets the epoch of a feed inside the server, once, before the ring starts: it never changes after. */
    public void startAtEpoch(final long startEpoch) {
        epoch = startEpoch;
    }

    /** New feed sessions fanned out: each reset every subscriber. */
    public long resets() {
        return resets.get();
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

    /** The updates held for clients that resume. */
    public QuoteHistory history() {
        return history;
    }

    /** The seq of the newest update handed to the shards, -1 before the first. */
    public long lastSeq() {
        return lastSeq;
    }
}
