package io.ticker.benchmarks;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;
import io.ticker.server.fanout.WireFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Updates for a subscriber whose client has stopped reading: its first frame never completes, so every later quote
 * replaces the pending one of its symbol (one slot per symbol, counting what it replaced). Updates go round the
 * subscriber's {@link #symbols} in turn, so the slot table is as big as the subscription. The baseline sends the same
 * updates to a subscriber that keeps up (a one-quote frame per update). Both through the real publisher and shard.
 * After warm-up the conflating path must be 0 B/op: a slow client costs bounded memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class ConflationBenchmark {
    private static final int TAPE_MASK = QuoteTape.LENGTH - 1;

    /** Symbols the subscriber has, the busiest first; updates cycle through them. */
    @Param({"1", "10", "100"})
    public int symbols;

    /** The subscribers' subprotocol: {@code json} or {@code binary} (slots hold records, the count is one store). */
    @Param({"json", "binary"})
    public String format = "json";

    private FanoutFixture stalled;
    private FanoutFixture healthy;
    private Quote[] tape;
    private int next;

    /** Subscribes one stalled and one healthy subscriber to the same symbols, each on its own shard. */
    @Setup
    public void setUp() {
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, QuoteTape.SEED);
        final List<String> names = universe.symbols().subList(0, symbols);
        stalled = new FanoutFixture(universe);
        final WireFormat wireFormat = WireFormat.valueOf(format.toUpperCase(Locale.ROOT));
        stalled.addStalledSubscriber(names, wireFormat);
        healthy = new FanoutFixture(universe);
        healthy.addHealthySubscriber(names, wireFormat);
        // Real prices and sizes, each quote moved onto the subscribed symbols in turn.
        tape = QuoteTape.record(universe);
        for (int i = 0; i < tape.length; i++) {
            tape[i].symbolId = i % symbols;
        }
    }

    /** One update conflated into the stalled subscriber's pending slot for its symbol. */
    @Benchmark
    public long conflate() {
        return stalled.publish(tape[next++ & TAPE_MASK]);
    }

    /** Baseline: the same update delivered to a subscriber that keeps up. */
    @Benchmark
    public long baselineDeliver() {
        return healthy.publish(tape[next++ & TAPE_MASK]);
    }

    FanoutFixture stalled() {
        return stalled;
    }

    FanoutFixture healthy() {
        return healthy;
    }
}
