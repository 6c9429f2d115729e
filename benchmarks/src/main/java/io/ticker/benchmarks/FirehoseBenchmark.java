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
 * One feed tick of scenario C in memory: a ring batch of {@link #QUOTES_PER_TICK} updates to {@link #subscribers}
 * firehose subscribers on one shard, each handed one frame. With {@link #shared} the shard builds the tick's frame
 * once and every subscriber's sink takes it as it is (the server's direct write path); without, every subscriber
 * copies every quote into its own frame (the Undertow write path, or a subscriber with something of its own
 * pending). The score is per tick; divide by {@code QUOTES_PER_TICK * subscribers} for per delivery. The kernel's
 * share of a real write is not here: this is the server's own work only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class FirehoseBenchmark {
    /** Updates per 1 ms tick at scenario C's 20,000 updates/s. */
    public static final int QUOTES_PER_TICK = 20;

    /** Firehose subscribers on the shard: scenario C has 50 over two IO threads. */
    @Param({"25"})
    public int subscribers;

    /** Whether the subscribers' sinks take the shard's shared frame. */
    @Param({"true", "false"})
    public boolean shared;

    /** The subscribers' subprotocol: {@code json} or {@code binary}. */
    @Param({"json", "binary"})
    public String format = "json";

    private FanoutFixture fixture;
    private Quote[] tape;
    private int next;

    /** Subscribes everyone to the firehose and records the feed's quotes. */
    @Setup
    public void setUp() {
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, QuoteTape.SEED);
        fixture = new FanoutFixture(universe);
        final WireFormat wireFormat = WireFormat.valueOf(format.toUpperCase(Locale.ROOT));
        for (int i = 0; i < subscribers; i++) {
            fixture.addSubscriber(0, shared ? InMemoryFrameSink.healthySharing() : InMemoryFrameSink.healthy(),
                List.of("*"), wireFormat);
        }
        tape = QuoteTape.record(universe);
    }

    /** One tick: a batch of updates, then one frame per subscriber. */
    @Benchmark
    public long tick() {
        long seq = 0;
        for (int i = 0; i < QUOTES_PER_TICK; i++) {
            seq = fixture.publish(tape[next++ % tape.length], i == QUOTES_PER_TICK - 1);
        }
        return seq;
    }

    FanoutFixture fixture() {
        return fixture;
    }
}
