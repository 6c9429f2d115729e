package io.ticker.benchmarks;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.FixedPoint;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteBinaryEncoder;
import io.ticker.protocol.QuoteJsonEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one quote, which the ring thread does once per update: {@link QuoteJsonEncoder} and
 * {@link QuoteBinaryEncoder} (the {@code ticker.v1.binary} record) into a reused buffer, beside the two ways a first
 * version would do the JSON (a {@link StringBuilder}, {@link String#format}), both turned into
 * bytes since bytes are what a socket takes. Replays a recorded feed tape, so prices and lengths vary as they do live.
 * Expect both encoders at 0 B/op, binary several times faster than JSON (fixed-offset stores against number
 * formatting), and the baselines allocating a few hundred bytes per quote.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class QuoteEncodingBenchmark {
    private static final int TAPE_MASK = QuoteTape.LENGTH - 1;

    private SymbolUniverse universe;
    private Quote[] tape;
    private final byte[] buffer = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
    private int next;
    private long seq;

    /** Records the tape. */
    @Setup
    public void setUp() {
        universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, QuoteTape.SEED);
        tape = QuoteTape.record(universe);
    }

    /** What the server does: the encoded length, written into the reused buffer. */
    @Benchmark
    public int json() {
        final Quote quote = tape[next++ & TAPE_MASK];
        return QuoteJsonEncoder.encode(buffer, 0, universe.symbolAscii(quote.symbolId), ++seq, quote);
    }

    /** The binary record of the same quote into the same buffer: 104 bytes, stores at fixed offsets. */
    @Benchmark
    public int binary() {
        final Quote quote = tape[next++ & TAPE_MASK];
        return QuoteBinaryEncoder.encode(buffer, 0, universe.symbolAscii(quote.symbolId), ++seq, quote);
    }

    /** Baseline: the same object built in a StringBuilder with double prices, then turned into bytes. */
    @Benchmark
    public int baselineStringBuilder() {
        final Quote quote = tape[next++ & TAPE_MASK];
        final String json = new StringBuilder(256)
            .append("{\"type\":\"quote\",\"symbol\":\"").append(universe.symbol(quote.symbolId))
            .append("\",\"seq\":").append(++seq)
            .append(",\"bid\":").append(FixedPoint.toDouble(quote.bid))
            .append(",\"bidSize\":").append(quote.bidSize)
            .append(",\"ask\":").append(FixedPoint.toDouble(quote.ask))
            .append(",\"askSize\":").append(quote.askSize)
            .append(",\"last\":").append(FixedPoint.toDouble(quote.last))
            .append(",\"lastSize\":").append(quote.lastSize)
            .append(",\"volume\":").append(quote.volume)
            .append(",\"ts\":").append(quote.timestampMicros)
            .append('}')
            .toString();
        return json.getBytes(StandardCharsets.US_ASCII).length;
    }

    /** Baseline: the same object through {@link String#format}, then turned into bytes. */
    @Benchmark
    public int baselineStringFormat() {
        final Quote quote = tape[next++ & TAPE_MASK];
        final String json = String.format(Locale.ROOT,
            "{\"type\":\"quote\",\"symbol\":\"%s\",\"seq\":%d,\"bid\":%s,\"bidSize\":%d,\"ask\":%s,\"askSize\":%d,"
                + "\"last\":%s,\"lastSize\":%d,\"volume\":%d,\"ts\":%d}",
            universe.symbol(quote.symbolId), ++seq, FixedPoint.toDouble(quote.bid), quote.bidSize,
            FixedPoint.toDouble(quote.ask), quote.askSize, FixedPoint.toDouble(quote.last), quote.lastSize,
            quote.volume, quote.timestampMicros);
        return json.getBytes(StandardCharsets.US_ASCII).length;
    }
}
