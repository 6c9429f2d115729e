package io.ticker.loadgen.cli;

import io.ticker.loadgen.connect.Endpoint;
import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.report.SummaryTable;
import io.ticker.loadgen.run.LoadRun;
import io.ticker.loadgen.settings.RampUp;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.loadgen.settings.SlowClients;
import io.ticker.loadgen.settings.SymbolSkew;
import io.ticker.protocol.DurationText;
import io.ticker.protocol.Subprotocols;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code run}: one load test, live progress on stderr, the final table on stdout, a results folder on disk. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
    description = {
        "Opens subscriber connections, measures quote latency (receive time - ts) and delivery, and writes "
            + "results/<time>-<name>/ (summary.json, latency.hlog, latency.hgrm, report.html).",
        "Timeline: ramp-up, then --warmup (shown, not recorded), then --duration (recorded), then a drain for "
            + "late quotes."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ok", "1:the run failed or missed an --assert-* threshold", "2:bad usage"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  load-generator run --url ws://localhost:8080/ws --connections 100",
        "  load-generator run --connections 2000 --ramp-up 500/s --assert-p99 50ms",
        "  load-generator run --url wss://localhost:8443/ws --insecure --compression"})
public final class RunCommand implements Callable<Integer> {
    /** Subscriber connections. */
    public static final int CONNECTIONS_DEFAULT = 100;
    /** Symbols per subscriber. */
    public static final int SYMBOLS_PER_CONNECTION_DEFAULT = 10;
    /** The server loaded when no --url is given. */
    public static final String URL_DEFAULT = "ws://localhost:8080/ws";
    /** Connects per second, or a duration to spread them over. */
    public static final String RAMP_UP_DEFAULT = "1000/s";
    /** How subscribers' symbols are drawn. */
    public static final String SYMBOL_SKEW_DEFAULT = "uniform";
    /** The recorded window. */
    public static final String DURATION_DEFAULT = "30s";
    /** Shown, not recorded, after the ramp-up. */
    public static final String WARMUP_DEFAULT = "5s";
    /** The subprotocol offered. */
    public static final String SUBPROTOCOL_DEFAULT = "json";
    /** First reconnect backoff. */
    public static final String RECONNECT_INITIAL_DELAY_DEFAULT = "100ms";
    /** Largest reconnect backoff. */
    public static final String RECONNECT_MAX_DELAY_DEFAULT = "10s";
    /** Part of the results folder's name. */
    public static final String NAME_DEFAULT = "run";
    /** Where results folders go. */
    public static final String OUT_DEFAULT = "results";
    /** Seeds symbol choice and reconnect jitter. */
    public static final String SEED_DEFAULT = "42";
    /** TCP, TLS and upgrade together. */
    public static final String CONNECT_TIMEOUT_DEFAULT = "10s";
    /** The longest drain after the window. */
    public static final String DRAIN_TIMEOUT_DEFAULT = "10s";
    /** With --reconnect, resubscribe with since and epoch to be replayed what was missed. */
    public static final String RESUME_DEFAULT = "true";
    /** One extra firehose connection counts what the feed published, for the delivered fraction. */
    public static final String OBSERVER_DEFAULT = "true";
    /** One event loop per core. */
    public static final int EVENT_LOOPS_DEFAULT = Runtime.getRuntime().availableProcessors();
    /** How long Ctrl-C waits for the results to be written. */
    private static final long STOP_WAIT_SECONDS = 30;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", split = ",", paramLabel = "URL", defaultValue = URL_DEFAULT,
        description = "Server WebSocket URL, ws:// or wss://; repeat or comma-separate to spread connections "
            + "round-robin over several servers (with --reconnect a dropped connection fails over to the next).")
    private List<String> urls = new ArrayList<>();

    @Option(names = {"-c", "--connections"}, defaultValue = "" + CONNECTIONS_DEFAULT, paramLabel = "N",
        description = "Subscriber connections.")
    private int connections;

    @Option(names = "--ramp-up", defaultValue = RAMP_UP_DEFAULT, paramLabel = "RATE|DURATION",
        description = "How fast to connect: N/s (connects per second) or a duration to spread them over (0s: all "
            + "at once).")
    private RampUp rampUp;

    @Option(names = {"-k", "--symbols-per-connection"}, defaultValue = "" + SYMBOLS_PER_CONNECTION_DEFAULT,
        paramLabel = "K", description = "Symbols per subscriber, drawn by --seed from the server's /api/symbols; 0 "
            + "holds idle connections that subscribe to nothing.")
    private int symbolsPerConnection;

    @Option(names = "--firehose",
        description = "Subscribe every connection to all symbols (\"*\").")
    private boolean firehose;

    @Option(names = "--symbol-skew", defaultValue = SYMBOL_SKEW_DEFAULT, paramLabel = "uniform|zipf:S",
        description = "How symbols are drawn from the server's list (busiest first): uniform, or zipf:S to favour "
            + "busy symbols.")
    private SymbolSkew skew;

    @Option(names = {"-d", "--duration"}, defaultValue = DURATION_DEFAULT, paramLabel = "DURATION",
        description = "The recorded window.")
    private Duration duration;

    @Option(names = "--warmup", defaultValue = WARMUP_DEFAULT, paramLabel = "DURATION",
        description = "Time after the ramp-up that is shown but not recorded.")
    private Duration warmup;

    @Option(names = "--subprotocol", defaultValue = SUBPROTOCOL_DEFAULT, paramLabel = "json|binary",
        description = "Subprotocol to offer: json (ticker.v1.json, text frames) or binary (ticker.v1.binary, "
            + "fixed-layout binary records, docs/PROTOCOL.md). A 101 that names no subprotocol is read as "
            + "ticker.v1.json, the contract's default, and the summary says so; one that names a subprotocol not "
            + "offered fails the connection.")
    private String subprotocol;

    @Option(names = "--compression",
        description = "Offer permessage-deflate (the server must run with --compression to accept it), so that CPU "
            + "per delivered quote can be compared with and without.")
    private boolean compression;

    @Option(names = "--reconnect",
        description = "Re-open dropped connections with jittered exponential backoff, "
        + "failing over to the next --url, and resubscribe (resuming from the last seq, see --resume).")
    private boolean reconnect;

    @Option(names = "--resume", negatable = true, defaultValue = RESUME_DEFAULT, fallbackValue = "true",
        description = "With --reconnect, resubscribe with since (the highest seq received) and epoch, so that the "
            + "server (the same or the next --url on the same feed) replays what was missed; --no-resume "
            + "resubscribes plainly and gets snapshots.")
    private boolean resume;

    @Option(names = "--reconnect-initial-delay", defaultValue = RECONNECT_INITIAL_DELAY_DEFAULT,
        paramLabel = "DURATION",
        description = "First reconnect backoff.")
    private Duration reconnectInitialDelay;

    @Option(names = "--reconnect-max-delay", defaultValue = RECONNECT_MAX_DELAY_DEFAULT, paramLabel = "DURATION",
        description = "Largest reconnect backoff.")
    private Duration reconnectMaxDelay;

    @Option(names = "--name", defaultValue = NAME_DEFAULT, paramLabel = "NAME",
        description = "Name of the run, part of the results folder.")
    private String name;

    @Option(names = "--out", defaultValue = OUT_DEFAULT, paramLabel = "DIR",
        description = "Folder for results folders.")
    private Path out;

    @Option(names = "--seed", defaultValue = SEED_DEFAULT, paramLabel = "SEED",
        description = "Seeds symbol choice and reconnect jitter.")
    private long seed;

    @Option(names = "--observer", negatable = true, defaultValue = OBSERVER_DEFAULT, fallbackValue = "true",
        description = "Open one extra firehose connection that counts what the feed published, so delivery "
            + "(expected vs received) can be computed.")
    private boolean observer;

    @Option(names = "--insecure",
        description = "Trust any TLS certificate on wss:// (self-signed test servers).")
    private boolean insecure;

    @Option(names = "--event-loops", paramLabel = "N", description = "I/O threads (event loops); the default is "
        + "the number of cores.")
    private int eventLoops = EVENT_LOOPS_DEFAULT;

    @Option(names = "--connect-timeout", defaultValue = CONNECT_TIMEOUT_DEFAULT, paramLabel = "DURATION",
        description = "Time allowed for TCP, TLS and the "
        + "WebSocket upgrade.")
    private Duration connectTimeout;

    @Option(names = "--drain-timeout", defaultValue = DRAIN_TIMEOUT_DEFAULT, paramLabel = "DURATION",
        description = "After the window, the longest wait for "
        + "quotes made inside it that are still in flight (the drain ends sooner once every connection has caught "
        + "up).")
    private Duration drainTimeout;

    @Mixin
    private final AssertOptions asserts = new AssertOptions();

    @Mixin
    private final SlowClientOptions slowClients = new SlowClientOptions();

    @Override
    public Integer call() throws Exception {
        final RunSettings settings = validate();
        final List<Endpoint> endpoints = new ArrayList<>();
        for (final String url : settings.urls()) {
            try {
                endpoints.add(Endpoint.parse(url, insecure));
            } catch (final IllegalArgumentException e) {
                throw usage("--url " + e.getMessage());
            }
        }
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter stdout = spec.commandLine().getOut();
        // Ctrl-C ends the run early but still writes its results: the hook asks the run to stop and waits for it
        final AtomicBoolean stop = new AtomicBoolean();
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "loadgen-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runAndReport(settings, endpoints, stop, err, stdout);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook is running and now returns
            }
        }
    }

    private int runAndReport(final RunSettings settings, final List<Endpoint> endpoints, final AtomicBoolean stop,
        final PrintWriter err, final PrintWriter stdout) throws java.io.IOException {
        final LoadRun.Outcome outcome;
        try {
            outcome = new LoadRun(settings, endpoints, err, stop::get).execute();
        } catch (final LoadRun.RunFailure e) {
            err.println("load-generator: " + e.getMessage());
            err.flush();
            return 1;
        }
        final RunSummary summary = outcome.summary();
        final List<Map<String, Object>> assertions = AssertOptions.judge(settings.assertP99(),
            settings.assertDelivered(), summary);
        summary.root().put("assertions", assertions);
        ResultsWriter.writeResults(outcome.directory(), summary, outcome.latency());
        stdout.print(SummaryTable.render(summary, outcome.directory().toString()));
        int exit = 0;
        for (final Map<String, Object> assertion : assertions) {
            final boolean passed = Boolean.TRUE.equals(assertion.get("passed"));
            stdout.printf(Locale.ROOT, "  %-26s%s%n", "assert " + assertion.get("flag"),
                (passed ? "passed: " : "FAILED: ") + assertion.get("detail"));
            if (!passed) {
                exit = 1;
            }
        }
        if (summary.number("connections", "peakUp") == 0) {
            stdout.println("  no connection came up: see errors above");
            exit = 1;
        }
        stdout.flush();
        return exit;
    }

    private RunSettings validate() {
        if (urls.isEmpty()) {
            throw usage("--url: give at least one ws:// or wss:// URL");
        }
        if (connections < 1) {
            throw usage("--connections must be at least 1, not " + connections);
        }
        if (!firehose && symbolsPerConnection < 0) {
            throw usage("--symbols-per-connection must be 0 (idle connections) or more, not " + symbolsPerConnection);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw usage("--duration must be positive, not " + DurationText.format(duration));
        }
        if (warmup.isNegative()) {
            throw usage("--warmup must not be negative");
        }
        if (eventLoops < 1) {
            throw usage("--event-loops must be at least 1, not " + eventLoops);
        }
        if (connectTimeout.toMillis() < 1) {
            throw usage("--connect-timeout must be at least 1ms");
        }
        if (reconnectInitialDelay.toMillis() < 1 || reconnectMaxDelay.compareTo(reconnectInitialDelay) < 0) {
            throw usage("--reconnect-initial-delay must be at least 1ms and at most --reconnect-max-delay");
        }
        if (asserts.delivered != null && !(asserts.delivered >= 0 && asserts.delivered <= 1)) {
            throw usage("--assert-delivered must be a fraction between 0 and 1, not " + asserts.delivered);
        }
        final SlowClients slow = slowClients.settings(spec.commandLine());
        final String protocol = switch (subprotocol.toLowerCase(Locale.ROOT)) {
            case "json" -> Subprotocols.JSON;
            case "binary" -> Subprotocols.BINARY;
            default -> throw usage("--subprotocol must be json or binary, not '" + subprotocol + "'");
        };
        final String command = "java -jar load-generator.jar "
            + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        return new RunSettings(List.copyOf(urls), connections, rampUp, symbolsPerConnection, firehose, skew,
            duration, warmup, protocol, compression, reconnect, reconnectInitialDelay, reconnectMaxDelay, resume, name,
            out, seed, observer, insecure, eventLoops, connectTimeout, drainTimeout, asserts.p99,
            asserts.deliveredOrNaN(), slow, command.trim());
    }

    private CommandLine.ParameterException usage(final String message) {
        return SlowClientOptions.usage(spec.commandLine(), message);
    }
}
