package io.ticker.benchmarks;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;
import io.ticker.server.fanout.BatchPublisher;
import io.ticker.server.fanout.FanoutShard;
import io.ticker.server.fanout.Subscriber;
import io.ticker.server.fanout.WireFormat;
import io.ticker.server.ring.QuoteEvent;
import io.ticker.server.socket.ConnectionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The server's fan-out path entirely in memory, on the calling thread: ring handler ({@link BatchPublisher}) to one
 * {@link FanoutShard} whose executor runs its drain inline, to subscribers writing into {@link InMemoryFrameSink}s.
 * {@link #publish} is what the ring thread does for a one-update ring batch, and the shard's whole drain with it.
 * The calling thread is the shards' owner: make every call from the same thread.
 */
public final class FanoutFixture {
    /** Runs a shard's drain on the thread that offered the batch, so one call does the whole fan-out. */
    private static final Executor DIRECT = Runnable::run;

    private final SymbolUniverse universe;
    private final FanoutShard[] shards;
    private final BatchPublisher publisher;
    private final List<InMemoryFrameSink> sinks = new ArrayList<>();
    // The ring slot the publisher reads: filled in place, as the ring's translator does.
    private final QuoteEvent event = new QuoteEvent();
    private long seq = -1;

    /** One shard over {@code universe}. */
    public FanoutFixture(final SymbolUniverse universe) {
        this(universe, 1);
    }

    /** {@code shardCount} shards over {@code universe}, all drained inline. */
    public FanoutFixture(final SymbolUniverse universe, final int shardCount) {
        this.universe = universe;
        shards = new FanoutShard[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new FanoutShard(DIRECT, universe.size());
        }
        publisher = new BatchPublisher(universe, shards);
    }

    /** Adds a JSON subscriber whose client keeps up, on shard 0, subscribed to {@code symbols} ({@code *} for all). */
    public Subscriber addHealthySubscriber(final List<String> symbols) {
        return addHealthySubscriber(symbols, WireFormat.JSON);
    }

    /** Adds a {@code format} subscriber whose client keeps up, on shard 0, subscribed to {@code symbols}. */
    public Subscriber addHealthySubscriber(final List<String> symbols, final WireFormat format) {
        return addSubscriber(0, InMemoryFrameSink.healthy(), symbols, format);
    }

    /** Adds a JSON subscriber whose client never reads, on shard 0, subscribed to {@code symbols}. */
    public Subscriber addStalledSubscriber(final List<String> symbols) {
        return addStalledSubscriber(symbols, WireFormat.JSON);
    }

    /** Adds a {@code format} subscriber whose client never reads, on shard 0, subscribed to {@code symbols}. */
    public Subscriber addStalledSubscriber(final List<String> symbols, final WireFormat format) {
        return addSubscriber(0, InMemoryFrameSink.stalled(), symbols, format);
    }

    /** Adds a JSON subscriber on shard {@code shardIndex} writing to {@code sink}, subscribed to {@code symbols}. */
    public Subscriber addSubscriber(final int shardIndex, final InMemoryFrameSink sink, final List<String> symbols) {
        return addSubscriber(shardIndex, sink, symbols, WireFormat.JSON);
    }

    /** Adds a {@code format} subscriber on shard {@code shardIndex} writing to {@code sink}, with {@code symbols}. */
    public Subscriber addSubscriber(
        final int shardIndex, final InMemoryFrameSink sink, final List<String> symbols, final WireFormat format) {
        final Subscriber subscriber = new Subscriber(
            sink, shards[shardIndex], universe, ConnectionSettings.MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT, format);
        subscriber.subscribe(null, symbols);
        sinks.add(sink);
        return subscriber;
    }

    /**
     * One update through the publisher as a ring batch of one: encoded once, handed to every shard, delivered to (or
     * conflated for) every subscriber of its symbol, and each touched subscriber flushed.
     *
     * @return the update's seq
     */
    public long publish(final Quote quote) {
        return publish(quote, true);
    }

    /**
     * One update through the publisher, ending the ring batch or not: a batch goes to the shards, and its frames
     * out, with the update that ends it.
     *
     * @return the update's seq
     */
    public long publish(final Quote quote, final boolean endOfBatch) {
        final long next = ++seq;
        event.quote.copyFrom(quote);
        event.seq = next;
        event.publishNanos = System.nanoTime();
        publisher.onEvent(event, next, endOfBatch);
        return next;
    }

    /** The ring handler, for a benchmark that runs it on a real ring instead. */
    public BatchPublisher publisher() {
        return publisher;
    }

    /** The symbols the shards know. */
    public SymbolUniverse universe() {
        return universe;
    }

    /** Quotes queued for a subscriber's next frame, over all shards. */
    public long quotesDelivered() {
        long sum = 0;
        for (final FanoutShard shard : shards) {
            sum += shard.counters().quotesDelivered();
        }
        return sum;
    }

    /** Quotes that replaced an unsent older one, over all shards. */
    public long quotesConflated() {
        long sum = 0;
        for (final FanoutShard shard : shards) {
            sum += shard.counters().quotesConflated();
        }
        return sum;
    }

    /** Bytes every sink was handed, acks and snapshots included. */
    public long bytesSent() {
        long sum = 0;
        for (final InMemoryFrameSink sink : sinks) {
            sum += sink.bytes();
        }
        return sum;
    }

    /** Binary frames every sink was handed. */
    public long binaryFramesSent() {
        long sum = 0;
        for (final InMemoryFrameSink sink : sinks) {
            sum += sink.binaryFrames();
        }
        return sum;
    }

    /** Frames every sink was handed. */
    public long framesSent() {
        long sum = 0;
        for (final InMemoryFrameSink sink : sinks) {
            sum += sink.frames();
        }
        return sum;
    }
}
