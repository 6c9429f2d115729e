package io.ticker.feed;

import io.ticker.protocol.DurationText;
import io.ticker.protocol.FixedPoint;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The feed simulator as a program: makes a deterministic, Zipf-skewed stream of quotes at a steady rate and writes
 * them as JSON lines, one {@code quote} object per line with {@code seq} counting from 0. Exit 0 when done, 1 on
 * failure (e.g. the output cannot be written), 2 on a bad command line.
 */
@Command(
    name = "feed-simulator",
    mixinStandardHelpOptions = true,
    versionProvider = FeedSimulatorMain.ManifestVersion.class,
    sortOptions = false,
    description = "Writes simulated stock quotes as JSON lines: a fixed universe of symbols, Zipf-skewed activity, "
        + "prices that follow geometric Brownian motion with jumps, the same quotes for the same seed.")
public final class FeedSimulatorMain implements Callable<Integer> {
    /** Idle strategy of the paced loop when none is asked for: one that does not burn a core. */
    public static final String IDLE_STRATEGY_DEFAULT = "sleeping";
    /** Length of a run when none is asked for. */
    public static final String DURATION_DEFAULT = "10s";
    /** What {@code --out} takes to mean standard output. */
    public static final String STDOUT = "-";

    private static final long SHUTDOWN_WAIT_MS = 5_000;

    @Spec
    private CommandSpec spec;

    private int symbols = SymbolUniverse.SYMBOLS_DEFAULT;
    private double ratePerSecond = FeedSimulator.RATE_PER_SECOND_DEFAULT;
    private double zipfExponent = FeedSimulator.ZIPF_EXPONENT_DEFAULT;
    private String idleStrategy = IDLE_STRATEGY_DEFAULT;
    private long count;

    @Option(names = "--seed", order = 4, defaultValue = "" + FeedSimulator.SEED_DEFAULT,
        description = "Seed of the universe and of every quote: same seed, same quotes (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--duration", order = 5, defaultValue = DURATION_DEFAULT,
        description = "How long to run, e.g. 500ms, 30s, 2m; 0 runs until killed (default: ${DEFAULT-VALUE}).")
    private Duration duration;


    @Option(names = "--out", order = 7, defaultValue = STDOUT, paramLabel = "FILE",
        description = "File to write, replaced if it exists; - is standard output (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--list-symbols", order = 9, defaultValue = "false",
        description = "Write the symbol universe as a JSON array (id, symbol, base price, expected updates per "
            + "second) and exit (default: ${DEFAULT-VALUE}).")
    private boolean listSymbols;

    private volatile boolean running = true;

    /** Runs the program; see {@code --help}. */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new FeedSimulatorMain()).registerConverter(Duration.class, DurationText::parse)
            .execute(args));
    }

    @Option(names = "--symbols", order = 1, defaultValue = "" + SymbolUniverse.SYMBOLS_DEFAULT, paramLabel = "N",
        description = "Symbols in the universe, 1-" + SymbolUniverse.SYMBOLS_MAX + "; id 0 is the busiest "
            + "(default: ${DEFAULT-VALUE}).")
    void symbols(final int value) {
        if (value < 1 || value > SymbolUniverse.SYMBOLS_MAX) {
            throw invalid("--symbols", value + " is not in 1.." + SymbolUniverse.SYMBOLS_MAX);
        }
        symbols = value;
    }

    @Option(names = "--rate", order = 2, defaultValue = "" + FeedSimulator.RATE_PER_SECOND_DEFAULT,
        paramLabel = "PER_SECOND",
        description = "Updates per second across all symbols, above 0 (default: ${DEFAULT-VALUE}).")
    void rate(final double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw invalid("--rate", value + " is not a number above 0");
        }
        ratePerSecond = value;
    }

    @Option(names = "--zipf", order = 3, defaultValue = "" + FeedSimulator.ZIPF_EXPONENT_DEFAULT,
        paramLabel = "EXPONENT",
        description = "Zipf exponent of activity across symbols: 0 is uniform, about 1 is a real market "
            + "(default: ${DEFAULT-VALUE}).")
    void zipf(final double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw invalid("--zipf", value + " is not a number >= 0");
        }
        zipfExponent = value;
    }

    @Option(names = "--idle-strategy", order = 8, defaultValue = IDLE_STRATEGY_DEFAULT, paramLabel = "NAME",
        description = "How the paced loop waits between quotes: sleeping-millis, sleeping, backoff, yielding, "
            + "busy-spin or noop; the last two burn a core (default: ${DEFAULT-VALUE}).")
    void idleStrategy(final String value) {
        try {
            IdleStrategies.byName(value);
        } catch (final IllegalArgumentException e) {
            throw invalid("--idle-strategy", e.getMessage());
        }
        idleStrategy = value;
    }

    @Option(names = "--count", order = 6, defaultValue = "0", paramLabel = "N",
        description = "Make exactly N quotes as fast as the output takes them, ignoring --duration and the "
            + "pacing of --rate (which still sets how far prices move per quote); 0 paces by --rate "
            + "(default: ${DEFAULT-VALUE}).")
    void count(final long value) {
        if (value < 0) {
            throw invalid("--count", value + " is not >= 0");
        }
        count = value;
    }

    @Override
    public Integer call() {
        final PrintWriter err = spec.commandLine().getErr();
        final SymbolUniverse universe = SymbolUniverse.generate(symbols, seed);
        final boolean toStdout = STDOUT.equals(out.toString());
        try {
            final OutputStream target = toStdout ? standardOutput() : Files.newOutputStream(out);
            try {
                if (listSymbols) {
                    writeUniverse(universe, target);
                } else {
                    writeQuotes(universe, target, err);
                }
            } finally {
                if (toStdout) {
                    target.flush();
                } else {
                    target.close();
                }
            }
            return CommandLine.ExitCode.OK;
        } catch (final IOException e) {
            return cannotWrite(err, toStdout, e);
        } catch (final UncheckedIOException e) {
            return cannotWrite(err, toStdout, e.getCause());
        }
    }

    private void writeQuotes(final SymbolUniverse universe, final OutputStream target, final PrintWriter err)
        throws IOException {
        final QuoteJsonLinesWriter writer = new QuoteJsonLinesWriter(universe, target);
        final FeedSimulator feed = new FeedSimulator(universe, ratePerSecond, zipfExponent, seed, writer);
        final CountDownLatch finished = new CountDownLatch(1);
        // On Ctrl-C or kill, stop the loop and let it flush and print the summary before the JVM goes.
        final Thread stopOnSignal = new Thread(() -> {
            running = false;
            awaitQuietly(finished);
        }, "feed-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try {
            final long startNs = System.nanoTime();
            if (count > 0) {
                emitAsFastAsPossible(feed);
            } else {
                runPaced(feed, startNs);
            }
            writer.flush();
            final long elapsedNs = System.nanoTime() - startNs;
            err.println(summary(universe, writer.quotesWritten(), elapsedNs, feed.missedQuotes()));
            err.flush();
        } finally {
            finished.countDown();
            removeQuietly(stopOnSignal);
        }
    }

    private void emitAsFastAsPossible(final FeedSimulator feed) {
        long remaining = count;
        while (running && remaining > 0) {
            remaining -= feed.emit((int) Math.min(remaining, FeedSimulator.BURST_QUOTES_MAX));
        }
    }

    private void runPaced(final FeedSimulator feed, final long startNs) {
        final IdleStrategy idle = IdleStrategies.byName(idleStrategy);
        final long durationNs = duration.toNanos();
        final boolean untilKilled = durationNs == 0;
        feed.doWork();
        while (running && (untilKilled || System.nanoTime() - startNs < durationNs)) {
            idle.idle(feed.doWork());
        }
    }

    private String summary(
        final SymbolUniverse universe, final long quotes, final long elapsedNs, final long missedQuotes) {
        final double seconds = elapsedNs / 1e9;
        return String.format(Locale.ROOT,
            "feed-simulator: %d quotes in %.3f s (%.0f quotes/s) over %d symbols, zipf %s, seed %d%s",
            quotes, seconds, seconds > 0 ? quotes / seconds : 0.0, universe.size(), zipfExponent, seed,
            missedQuotes > 0 ? ", " + missedQuotes + " due quotes given up after stalls" : "");
    }

    private void writeUniverse(final SymbolUniverse universe, final OutputStream target) throws IOException {
        final FeedSimulator rates = new FeedSimulator(universe, ratePerSecond, zipfExponent, seed, quote -> {
        });
        final Writer writer = listSymbolsTo(target);
        writer.write('[');
        for (int id = 0; id < universe.size(); id++) {
            writer.write(id == 0 ? "\n" : ",\n");
            writer.write(String.format(Locale.ROOT,
                "{\"id\":%d,\"symbol\":\"%s\",\"basePrice\":%s,\"expectedRatePerSecond\":%.6f}",
                id, universe.symbol(id), FixedPoint.toString(universe.basePrice(id)),
                rates.expectedRatePerSecond(id)));
        }
        writer.write("\n]\n");
        writer.flush();
    }

    private Writer listSymbolsTo(final OutputStream target) {
        // Standard output goes through picocli's writer, so that a test capturing it sees the list.
        if (STDOUT.equals(out.toString())) {
            return spec.commandLine().getOut();
        }
        return new OutputStreamWriter(target, StandardCharsets.US_ASCII);
    }

    private int cannotWrite(final PrintWriter err, final boolean toStdout, final IOException e) {
        err.println("feed-simulator: cannot write " + (toStdout ? "standard output" : out) + ": " + e);
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static OutputStream standardOutput() {
        // Not System.out: a PrintStream swallows errors, so a closed pipe (| head) would go unnoticed.
        System.out.flush();
        return new FileOutputStream(FileDescriptor.out);
    }

    private ParameterException invalid(final String option, final String reason) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + reason);
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException shuttingDown) {
            // The JVM is already running the hook, which is waiting for us: nothing to undo.
            return;
        }
    }

    /** The version from the jar manifest's {@code Implementation-Version}, which the shaded jar sets. */
    static final class ManifestVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            final String version = FeedSimulatorMain.class.getPackage().getImplementationVersion();
            return new String[] {"feed-simulator " + (version == null ? "(development build)" : version)};
        }
    }
}
