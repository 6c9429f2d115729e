package io.ticker.benchmarks;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Command;
import io.ticker.protocol.CommandDecoder;
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
 * Decoding one client command, the cold path every connection's commands take on its IO thread: ticker-protocol's
 * hand-written {@link CommandDecoder} (a tree of maps and lists, then checks) against {@link JacksonCommandDecoder}
 * (jackson-core's streaming parser, token by token), on a ping, a subscribe to 5 symbols and one to 500. Compare the
 * two within one run: the ratio is what decides, the machine's noise moves both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class CommandDecodeBenchmark {
    /** How many symbols the command names; 0 is a ping. */
    @Param({"0", "5", "500"})
    public int symbols;

    private String command;

    /** Builds the command text from real symbol names. */
    @Setup
    public void setUp() {
        command = text(symbols);
    }

    /** The command a client sends naming the first {@code count} symbols of the default universe (0: a ping). */
    static String text(final int count) {
        if (count == 0) {
            return "{\"op\":\"ping\",\"id\":\"p-1\"}";
        }
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, QuoteTape.SEED);
        final StringBuilder text = new StringBuilder("{\"op\":\"subscribe\",\"id\":\"s-1\",\"symbols\":[");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "\"" : ",\"").append(universe.symbol(i)).append('"');
        }
        return text.append("]}").toString();
    }

    /** What the server runs. */
    @Benchmark
    public Command handWritten() {
        return CommandDecoder.decode(command);
    }

    /** The candidate. */
    @Benchmark
    public Command jackson() {
        return JacksonCommandDecoder.decode(command);
    }
}
