package io.ticker.feed;

import io.aeron.Publication;
import io.ticker.protocol.DurationText;
import io.ticker.protocol.FixedPoint;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The feed simulator as a program: makes a deterministic, Zipf-skewed stream of quotes at a steady rate and writes
 * them as JSON lines, one {@code quote} object per line with {@code seq} counting from 0. Exit 0 when done, 1 on
 * failure (e.g. the output cannot be written), 2 on a bad command line.
 */
@Command(
    name = "feed-simulator",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    sortOptions = false,
    description = "Writes simulated stock quotes as JSON lines: a fixed universe of symbols, Zipf-skewed activity, "
        + "prices that follow geometric Brownian motion with jumps, the same quotes for the same seed.",
    footerHeading = "%nExamples:%n",
    footer = {
        "  feed-simulator --rate 1000 --duration 5s --out quotes.jsonl",
        "  feed-simulator --count 100000 --symbols 50 | head",
        "  feed-simulator --publish aeron:udp?endpoint=localhost:40123"})
public final class FeedSimulatorMain implements Callable<Integer> {
    /** Idle strategy of the paced loop when none is asked for: one that does not burn a core. */
    public static final String IDLE_STRATEGY_DEFAULT = "sleeping";
    /** Length of a run when none is asked for. */
    public static final String DURATION_DEFAULT = "10s";
    /** What {@code --out} takes to mean standard output. */
    public static final String STDOUT = "-";
    /** A replay's pace when none is asked for: as recorded. */
    public static final String REPLAY_SPEED_DEFAULT = "1";

    private static final long SHUTDOWN_WAIT_MS = 5_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private final SimulationOptions simulation = new SimulationOptions();

    @Option(names = "--duration", defaultValue = DURATION_DEFAULT,
        description = "How long to run, e.g. 500ms, 30s, 2m; 0 runs until killed. Default: ${DEFAULT-VALUE}")
    private Duration duration;

    @Option(names = "--count", paramLabel = "N",
        description = "Make exactly N quotes as fast as the output takes them, ignoring --duration and the "
            + "pacing of --rate (which still sets how far prices move per quote); 0 paces by --rate. "
            + "Default: ${DEFAULT-VALUE}")
    private long count;

    @Option(names = "--out", paramLabel = "FILE",
        description = "File to write, replaced if it exists; - is standard output. Default: ${DEFAULT-VALUE}")
    private Path out = Path.of(STDOUT);

    @Option(names = "--idle-strategy", paramLabel = "NAME",
        description = "How the paced loop waits between quotes: sleeping-millis, sleeping, backoff, yielding, "
            + "busy-spin or noop; the last two burn a core. Default: ${DEFAULT-VALUE}")
    private String idleStrategy = IDLE_STRATEGY_DEFAULT;

    @Option(names = "--list-symbols",
        description = "Write the symbol universe as a JSON array (id, symbol, base price, expected updates per "
            + "second) and exit.")
    private boolean listSymbols;

    @Option(names = "--publish", paramLabel = "CHANNEL",
        description = "Publish the sequenced quotes over Aeron on this channel, e.g. "
            + "aeron:udp?endpoint=localhost:40123 (unicast, one server), a multicast endpoint, or "
            + "'aeron:udp?control=localhost:40456|control-mode=dynamic' (MDC: one publication, many servers). "
            + "Repeat for several channels; the seq is the same on all. JSON lines then go out only with --out.")
    private List<String> publish = List.of();

    @Option(names = "--stream-id", paramLabel = "ID",
        description = "Aeron stream id of the quotes. Default: ${DEFAULT-VALUE}")
    private int streamId = AeronConnection.STREAM_ID_DEFAULT;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external Aeron media driver in DIR; by default an embedded driver runs in this "
            + "process, in a directory of its own under java.io.tmpdir.")
    private String aeronDir;

    @Option(names = "--snapshot-interval", paramLabel = "DURATION",
        defaultValue = AeronQuotePublisher.SNAPSHOT_INTERVAL_DEFAULT,
        description = "With --publish, how often the last quote of every symbol goes out, so a server that joins "
            + "late or loses messages has the current state within this time. Default: ${DEFAULT-VALUE}")
    private Duration snapshotInterval;

    @Option(names = "--replay", paramLabel = "FILE",
        description = "Play a recording (JSON lines as --out writes them) instead of simulating; the symbols must "
            + "be in the universe of --symbols and --seed. Ends when the file does.")
    private Path replay;

    @Option(names = "--speed", paramLabel = "N",
        description = "With --replay: 1 plays at the recorded pace, N is N times faster, 0 or max as fast as "
            + "possible. Default: ${DEFAULT-VALUE}")
    private String speed = REPLAY_SPEED_DEFAULT;

    @Mixin
    private OneLineErrors.VerboseOption verboseOption;

    private volatile boolean running = true;

    /** Runs the program; see {@code --help}. */
    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's converters and one-line errors; tests run it with captured output. */
    public static CommandLine commandLine() {
        return OneLineErrors.install(new CommandLine(new FeedSimulatorMain())
            .registerConverter(Duration.class, DurationText::parse));
    }

    @Override
    public Integer call() {
        final PrintWriter err = spec.commandLine().getErr();
        validateFeedOptions();
        final SymbolUniverse universe = SymbolUniverse.generate(simulation.symbols(), simulation.seed());
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

    private long writeQuotes(final SymbolUniverse universe, final OutputStream target, final PrintWriter err)
        throws IOException {
        final boolean publishing = !publish.isEmpty();
        final boolean json = !publishing || spec.commandLine().getParseResult().hasMatchedOption("--out");
        final QuoteJsonLinesWriter writer = json ? new QuoteJsonLinesWriter(universe, target) : null;
        final double replaySpeed = replay == null ? 1 : replaySpeed();
        final CountDownLatch finished = new CountDownLatch(1);
        // On Ctrl-C or kill, stop the loop and let it flush, print the summary and close Aeron (which deletes the
        // embedded driver's directory) before the JVM goes.
        final Thread stopOnSignal = new Thread(() -> {
            running = false;
            awaitQuietly(finished);
        }, "feed-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try (AeronConnection aeron = publishing ? AeronConnection.open(aeronDir, "feed") : null) {
            final AeronQuotePublisher publisher = publishing ? publisher(aeron, universe, err) : null;
            final QuoteSink sink = writer == null ? publisher : publisher == null ? writer : quote -> {
                writer.onQuote(quote);
                publisher.onQuote(quote);
            };
            final IntSupplier housekeeping = publisher == null ? () -> 0 : publisher::doWork;
            final long quotes = run(universe, sink, housekeeping, replaySpeed, err);
            if (writer != null) {
                writer.flush();
            }
            if (publisher != null) {
                publisher.sendSnapshot();
                err.printf(Locale.ROOT, "feed-simulator: published %d quotes, %d messages sent, %d dropped%n",
                    publisher.nextSeq(), publisher.messagesSent(), publisher.messagesDropped());
            }
            err.flush();
            return quotes;
        } finally {
            finished.countDown();
            removeQuietly(stopOnSignal);
        }
    }

    private long run(final SymbolUniverse universe, final QuoteSink sink, final IntSupplier housekeeping,
        final double replaySpeed, final PrintWriter err) throws IOException {
        if (replay != null) {
            return runReplay(universe, sink, housekeeping, replaySpeed, err);
        }
        final FeedSimulator feed = new FeedSimulator(universe, simulation.ratePerSecond(), simulation.zipfExponent(),
            simulation.seed(), simulation.bursts(), sink);
        final long startNs = System.nanoTime();
        if (count > 0) {
            emitAsFastAsPossible(feed);
        } else {
            runPaced(feed, housekeeping, startNs);
        }
        final long elapsedNs = System.nanoTime() - startNs;
        err.println(summary(universe, feed.quotesMade(), elapsedNs, feed.missedQuotes()));
        return feed.quotesMade();
    }

    private void emitAsFastAsPossible(final FeedSimulator feed) {
        long remaining = count;
        while (running && remaining > 0) {
            remaining -= feed.emit((int) Math.min(remaining, FeedSimulator.BURST_QUOTES_MAX));
        }
    }

    private long runReplay(final SymbolUniverse universe, final QuoteSink sink, final IntSupplier housekeeping,
        final double replaySpeed, final PrintWriter err) {
        final long startNs = System.nanoTime();
        try (QuoteReplay player = new QuoteReplay(replay, universe, replaySpeed, sink)) {
            final IdleStrategy idle = IdleStrategies.byName(idleStrategy);
            while (running && !player.finished()) {
                idle.idle(player.doWork() + housekeeping.getAsInt());
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            err.printf(Locale.ROOT, "feed-simulator: replayed %d quotes from %s in %.3f s%s%n",
                player.quotesReplayed(), replay, seconds,
                player.linesSkipped() > 0 ? ", skipped " + player.linesSkipped()
                    + " lines (not a quote, or a symbol outside the universe of --symbols and --seed)" : "");
            return player.quotesReplayed();
        }
    }

    private void validateFeedOptions() {
        simulation.validate(spec.commandLine());
        if (count < 0) {
            throw invalid("--count", "must be 0 or more, was " + count);
        }
        try {
            IdleStrategies.byName(idleStrategy);
        } catch (final IllegalArgumentException e) {
            throw invalid("--idle-strategy", e.getMessage());
        }
        if (!simulation.bursts().isSteady() && (replay != null || count > 0)) {
            throw invalid("--burst-every", "shapes the paced simulator's rate; it cannot go with "
                + (replay != null ? "--replay" : "--count"));
        }
        for (final String channel : publish) {
            try {
                AeronConnection.validateChannel(channel);
            } catch (final IllegalArgumentException e) {
                throw invalid("--publish", e.getMessage());
            }
        }
        if (snapshotInterval.isZero() || snapshotInterval.isNegative()) {
            throw invalid("--snapshot-interval", "must be positive");
        }
        OneLineErrors.requireReadable(spec.commandLine(), replay, "--replay",
            "a recording written by feed-simulator --out");
        replaySpeed();
    }

    private double replaySpeed() {
        final String text = speed.trim().toLowerCase(Locale.ROOT);
        if ("max".equals(text)) {
            return QuoteReplay.AS_FAST_AS_POSSIBLE;
        }
        try {
            final double value = Double.parseDouble(text);
            if (value >= 0 && !Double.isInfinite(value)) {
                return value;
            }
        } catch (final NumberFormatException e) {
            // reported below
        }
        throw invalid("--speed", "'" + speed + "' is not a number >= 0 or max");
    }

    private AeronQuotePublisher publisher(final AeronConnection aeron, final SymbolUniverse universe,
        final PrintWriter err) {
        final List<Publication> publications = new ArrayList<>();
        for (final String channel : publish) {
            publications.add(aeron.aeron().addExclusivePublication(channel, streamId));
        }
        err.printf("feed-simulator: publishing on %s stream %d (%s %s)%n", String.join(", ", publish), streamId,
            aeron.embeddedDriver() ? "embedded media driver in" : "external media driver in", aeron.directory());
        err.flush();
        return new AeronQuotePublisher(universe, simulation.seed(), publications, snapshotInterval.toNanos());
    }

    private void runPaced(final FeedSimulator feed, final IntSupplier housekeeping, final long startNs) {
        final IdleStrategy idle = IdleStrategies.byName(idleStrategy);
        final long durationNs = duration.toNanos();
        final boolean untilKilled = durationNs == 0;
        feed.doWork();
        while (running && (untilKilled || System.nanoTime() - startNs < durationNs)) {
            idle.idle(feed.doWork() + housekeeping.getAsInt());
        }
    }

    private String summary(
        final SymbolUniverse universe, final long quotes, final long elapsedNs, final long missedQuotes) {
        final double seconds = elapsedNs / 1e9;
        final FeedBursts bursts = simulation.bursts();
        return String.format(Locale.ROOT,
            "feed-simulator: %d quotes in %.3f s (%.0f quotes/s) over %d symbols, zipf %s, seed %d%s%s",
            quotes, seconds, seconds > 0 ? quotes / seconds : 0.0, universe.size(), simulation.zipfExponent(),
            simulation.seed(), bursts.isSteady() ? "" : String.format(Locale.ROOT,
                ", bursts of %sx for %d ms every %d ms", bursts.factor(), bursts.lengthNanos() / 1_000_000,
                bursts.periodNanos() / 1_000_000),
            missedQuotes > 0 ? ", " + missedQuotes + " due quotes given up after stalls" : "");
    }

    private void writeUniverse(final SymbolUniverse universe, final OutputStream target) throws IOException {
        final FeedSimulator rates = new FeedSimulator(universe, simulation.ratePerSecond(),
            simulation.zipfExponent(), simulation.seed(), quote -> {
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
        err.println("feed-simulator: cannot write " + (toStdout ? "standard output" : out)
            + (toStdout ? " (closed?)" : " (does its directory exist, and may this user write there?)")
            + "; give --out a writable file or - for standard output");
        if (spec.commandLine().getParseResult().hasMatchedOption(OneLineErrors.VERBOSE)) {
            e.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static OutputStream standardOutput() {
        // Not System.out: a PrintStream swallows errors, so a closed pipe (| head) would go unnoticed.
        System.out.flush();
        return new FileOutputStream(FileDescriptor.out);
    }

    private ParameterException invalid(final String option, final String reason) {
        return OneLineErrors.invalid(spec.commandLine(), option, reason);
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
}
