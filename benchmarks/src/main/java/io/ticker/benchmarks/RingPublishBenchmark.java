package io.ticker.benchmarks;

import com.lmax.disruptor.EventHandler;
import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;
import io.ticker.server.fanout.BatchPublisher;
import io.ticker.server.ring.QuoteEvent;
import io.ticker.server.ring.QuoteRing;
import io.ticker.server.ring.RingSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Publishing into the real {@link QuoteRing} (single producer; its own consumer thread, or none when inline), with a
 * trivial handler beside the server's {@link BatchPublisher} fanning out to in-memory shards. One operation publishes
 * a burst of {@link #BURST} updates from the feed tape, ends the burst and waits until the handler has taken all of
 * them, so there is never a backlog to measure: the score is the time per update through the ring and its handler,
 * the consumer's wake-up amortised over the burst. On two cores the producer and consumer share the machine with
 * everything else running.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class RingPublishBenchmark {
    /** Updates published per operation before waiting for the consumer: a feed burst, far below the ring's size. */
    public static final int BURST = 64;
    /** Shards behind the batch publisher: one per IO thread on a 2-core machine. */
    public static final int SHARDS = 2;
    private static final int TAPE_MASK = QuoteTape.LENGTH - 1;

    /** {@code trivial}: a handler that reads the slot; {@code fanout}: the server's batch publisher. */
    @Param({"trivial", "fanout"})
    public String handler;

    /**
     * The consumer's wait strategy, by the server's names: {@code inline} (the server's default) has no consumer
     * thread, the publishing thread runs the handler at the end of the burst; {@code busy-spin} would starve a
     * 2-core machine.
     */
    @Param({"inline", "blocking", "yielding"})
    public String waitStrategy;

    private Quote[] tape;
    private int next;
    private QuoteRing ring;
    private LongSupplier handledSeq;
    private FanoutFixture fanout;

    /** Builds the ring and its handler and starts the consumer thread. */
    @Setup
    public void setUp() {
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, QuoteTape.SEED);
        tape = QuoteTape.record(universe);
        final EventHandler<QuoteEvent> eventHandler;
        switch (handler) {
            case "trivial" -> {
                final TrivialHandler trivial = new TrivialHandler();
                handledSeq = trivial::handledSeq;
                eventHandler = trivial;
            }
            case "fanout" -> {
                fanout = new FanoutFixture(universe, SHARDS);
                // One firehose subscriber per shard: every update is delivered, every ring batch flushed.
                for (int shard = 0; shard < SHARDS; shard++) {
                    fanout.addSubscriber(shard, InMemoryFrameSink.healthy(), List.of("*"));
                }
                final BatchPublisher publisher = fanout.publisher();
                handledSeq = publisher::lastSeq;
                eventHandler = publisher;
            }
            default -> throw new IllegalArgumentException("unknown handler " + handler);
        }
        // The subscribers were made on this thread; starting the consumer thread hands them over to it.
        ring = new QuoteRing(RingSettings.RING_SIZE_DEFAULT, waitStrategy, eventHandler);
        ring.start();
    }

    /** Stops the consumer after it has taken everything. */
    @TearDown
    public void tearDown() {
        ring.stop();
    }

    /** A burst through the ring, waiting for the handler to finish it; the score is per update. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public long publishBurst() {
        for (int i = 0; i < BURST; i++) {
            ring.onQuote(tape[next++ & TAPE_MASK]);
        }
        ring.endOfBatch();
        final long last = ring.lastSequence();
        while (handledSeq.getAsLong() < last) {
            Thread.onSpinWait();
        }
        return last;
    }

    /** The fan-out behind the ring, or null for the trivial handler; read it only after {@link #tearDown}. */
    FanoutFixture fanout() {
        return fanout;
    }

    /** Reads what a handler must read and publishes its progress once per ring batch, like the batch publisher. */
    private static final class TrivialHandler implements EventHandler<QuoteEvent> {
        private long lastPrice;
        private volatile long handledSeq = -1;

        @Override
        public void onEvent(final QuoteEvent event, final long sequence, final boolean endOfBatch) {
            // A plain field store the JIT must keep: the slot is really read.
            lastPrice = event.quote.last;
            if (endOfBatch) {
                handledSeq = event.seq;
            }
        }

        long handledSeq() {
            return handledSeq;
        }
    }
}
