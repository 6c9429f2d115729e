package io.ticker.server.fanout;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.book.QuoteHistory;
import io.ticker.server.metrics.AnchoredEpochMicroClock;
import io.ticker.server.ring.QuoteEvent;
import java.util.concurrent.Executor;

/**
 * One shard whose IO thread is the caller, fed through the ring's real handler ({@link BatchPublisher}) as the ring
 * would feed it: for tests of fan-out that need quotes and drains, not a server. Each quote differs from the last
 * (prices and volume follow the ring sequence), so a frame's bytes tell quotes apart.
 */
public final class OneShardFeed {
    private static final Executor DIRECT = Runnable::run;
    private static final long EPOCH_MICROS = 1_763_800_000_000_000L;

    private final SymbolUniverse universe;
    private final FanoutShard shard;
    private final BatchPublisher publisher;
    private final QuoteEvent event = new QuoteEvent();
    private long seq;

    /** A shard over a generated universe of {@code symbols}, drained as each batch ends. */
    public OneShardFeed(final int symbols, final long seed) {
        this(symbols, seed, 0);
    }

    /** The same, keeping the last {@code historyUpdates} updates for subscribers that resume. */
    public OneShardFeed(final int symbols, final long seed, final int historyUpdates) {
        universe = SymbolUniverse.generate(symbols, seed);
        final QuoteHistory history = new QuoteHistory(historyUpdates);
        shard = new FanoutShard(DIRECT, universe, history, ShardSettings.unlimited(), null);
        publisher = new BatchPublisher(universe, new FanoutShard[] {shard}, new AnchoredEpochMicroClock(), history);
    }

    public SymbolUniverse universe() {
        return universe;
    }

    public FanoutShard shard() {
        return shard;
    }

    /** A new feed session, {@code epoch}, as a network feed's receiver puts it through the ring; drained at once. */
    public void startEpoch(final long epoch) {
        event.newEpoch = epoch;
        publisher.onEvent(event, seq, true);
        event.newEpoch = 0;
    }

    /** One quote of {@code symbolId} as a batch of its own: the shard drains it at once. */
    public void publish(final int symbolId) {
        publish(symbolId, true, System.nanoTime());
    }

    /** One quote of {@code symbolId}; the shard drains what the batch holds when {@code endOfBatch}. */
    public void publish(final int symbolId, final boolean endOfBatch) {
        publish(symbolId, endOfBatch, System.nanoTime());
    }

    /** One quote of {@code symbolId} that entered the ring at {@code publishNanos}. */
    public void publish(final int symbolId, final boolean endOfBatch, final long publishNanos) {
        event.quote.symbolId = symbolId;
        event.quote.bid = 1_000_000 + seq;
        event.quote.ask = 1_000_100 + seq;
        event.quote.last = 1_000_050 + seq;
        event.quote.bidSize = 100;
        event.quote.askSize = 200;
        event.quote.lastSize = 10;
        event.quote.volume = seq;
        event.quote.timestampMicros = EPOCH_MICROS + seq;
        event.seq = seq++;
        event.publishNanos = publishNanos;
        publisher.onEvent(event, event.seq, endOfBatch);
    }
}
