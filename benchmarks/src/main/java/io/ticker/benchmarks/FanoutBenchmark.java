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
 * One update through the whole fan-out, in memory and on one thread: batch publisher (encode once) to a shard (book,
 * subscriber walk) to {@link #subscribers} healthy subscribers of the symbol, each flushed as its own one-quote frame
 * into a sink that completes at once. The score is per update; divide by {@link #subscribers} for per delivery.
 * The baseline is an update of a symbol nobody subscribes to: the fixed cost every update pays. {@link #format}
 * compares the subprotocols: a JSON subscriber copies the quote's object into an array, a binary one its 104-byte
 * record. Steady state must be 0 B/op under {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class FanoutBenchmark {
    /** The symbol everyone subscribes to. */
    public static final String SUBSCRIBED_SYMBOL = "AAPL";
    /** A busy symbol nobody subscribes to, for the baseline. */
    public static final String UNSUBSCRIBED_SYMBOL = "NVDA";
    private static final int TAPE_MASK = QuoteTape.LENGTH - 1;

    /** Subscribers of the updated symbol, all on one shard (one IO thread). */
    @Param({"1", "100", "10000"})
    public int subscribers;

    /** The subscribers' subprotocol: {@code json} or {@code binary} ({@code ticker.v1.binary} records). */
    @Param({"json", "binary"})
    public String format = "json";

    private FanoutFixture fixture;
    private Quote[] subscribedTape;
    private Quote[] unsubscribedTape;
    private int next;

    /** Subscribes everyone and records one price path per symbol. */
    @Setup
    public void setUp() {
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, QuoteTape.SEED);
        fixture = new FanoutFixture(universe);
        final WireFormat wireFormat = WireFormat.valueOf(format.toUpperCase(Locale.ROOT));
        for (int i = 0; i < subscribers; i++) {
            fixture.addHealthySubscriber(List.of(SUBSCRIBED_SYMBOL), wireFormat);
        }
        subscribedTape = QuoteTape.recordSymbol(universe, universe.idOf(SUBSCRIBED_SYMBOL));
        unsubscribedTape = QuoteTape.recordSymbol(universe, universe.idOf(UNSUBSCRIBED_SYMBOL));
    }

    /** One update to every subscriber of its symbol. */
    @Benchmark
    public long update() {
        return fixture.publish(subscribedTape[next++ & TAPE_MASK]);
    }

    /** Baseline: one update nobody subscribes to (encode, batch hand-off, book, an empty walk). */
    @Benchmark
    public long baselineUnsubscribedUpdate() {
        return fixture.publish(unsubscribedTape[next++ & TAPE_MASK]);
    }

    FanoutFixture fixture() {
        return fixture;
    }
}
