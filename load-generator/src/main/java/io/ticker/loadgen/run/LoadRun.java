package io.ticker.loadgen.run;

import io.ticker.loadgen.connect.ClientPool;
import io.ticker.loadgen.connect.Endpoint;
import io.ticker.loadgen.connect.ServerProbe;
import io.ticker.loadgen.connect.SimulatedClient;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.loadgen.measure.ClientLedger;
import io.ticker.loadgen.measure.CpuWatch;
import io.ticker.loadgen.measure.DeliveryObserver;
import io.ticker.loadgen.measure.EpochClock;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.loadgen.measure.RecordingWindow;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.report.HistogramCodec;
import io.ticker.loadgen.report.MachineInfo;
import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.protocol.DurationText;
import io.ticker.protocol.Subprotocols;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * One load test from start to end, the composition root of {@code run}: read the server's symbol list, choose
 * subscriptions, open the connections at the ramp-up rate, warm up, record the window, drain, stop, and put every
 * figure into a {@link RunSummary}. Progress goes to {@code err} once a second; results are written as they come
 * ({@code latency.hlog}) and at the end ({@code summary.json}, {@code latency.hgrm}, {@code report.html}).
 */
public final class LoadRun {
    private static final int OPEN_FILES_HEADROOM = 64;

    private final RunSettings settings;
    private final List<Endpoint> endpoints;
    private final PrintWriter err;
    private final BooleanSupplier stopRequested;

    /**
     * A run of {@code settings} against already parsed {@code endpoints}, reporting to {@code err}.
     *
     * @param stopRequested polled by the control loop: when true (Ctrl-C), the window closes at once and the run
     *     ends with the results it has
     */
    public LoadRun(final RunSettings settings, final List<Endpoint> endpoints, final PrintWriter err,
        final BooleanSupplier stopRequested) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.err = err;
        this.stopRequested = stopRequested;
    }

    /**
     * Runs the test and writes the results folder.
     *
     * @return the summary and the folder
     * @throws RunFailure when the run cannot start (no symbol list, results folder not writable)
     */
    public Outcome execute() throws IOException {
        final Instant started = Instant.now();
        final EpochClock clock = new EpochClock();
        final Map<String, ServerProbe> probes = new LinkedHashMap<>();
        for (final Endpoint endpoint : endpoints) {
            probes.putIfAbsent(endpoint.httpBase(), new ServerProbe(endpoint.httpBase(), settings.insecure()));
        }
        final ServerProbe first = probes.values().iterator().next();
        final List<String> universe = first.symbols();
        if (!settings.firehose() && settings.symbolsPerConnection() > 0 && (universe == null || universe.isEmpty())) {
            throw new RunFailure("cannot read the symbol list from " + endpoints.get(0).httpBase()
                + "/api/symbols; check --url, or use --firehose, which needs no list");
        }
        final Map<String, Object> healthBefore = new LinkedHashMap<>();
        final Map<String, Object> metricsBefore = new LinkedHashMap<>();
        readServers(probes, healthBefore, metricsBefore);
        final List<String> warnings = new ArrayList<>();
        final long openFiles = CpuWatch.openFilesLimit();
        if (openFiles >= 0 && openFiles < settings.connections() + OPEN_FILES_HEADROOM) {
            warn(warnings, "the open-files limit (ulimit -n) is " + openFiles + " but " + settings.connections()
                + " connections need at least " + (settings.connections() + OPEN_FILES_HEADROOM)
                + "; raise it (ulimit -n 65536) or connects will fail");
        }

        final SymbolTable symbols = new SymbolTable(universe == null ? List.of() : universe);
        final Path dir = ResultsWriter.createRunDirectory(settings.out(), settings.name(), started);
        final RunCounters counters = new RunCounters();
        final LatencyRecorder recorder = new LatencyRecorder(settings.eventLoops());
        final RecordingWindow window = new RecordingWindow();
        final DeliveryObserver observer = new DeliveryObserver(symbols.size());
        final int[][] subscriptions = chooseSubscriptions(symbols.size());

        final HistogramLogWriter log = ResultsWriter.openLatencyLog(dir, started, settings);
        final ProgressReporter reporter;
        final ClientPool pool = new ClientPool(settings, endpoints,
            new ClientLedger.Sinks(symbols, counters, recorder, clock, window, observer));
        final List<ClientLedger> subscribers;
        final Timeline timeline = new Timeline(settings, err, stopRequested);
        final long windowStartMicros;
        final long windowEndMicros;
        try {
            final CpuWatch cpu = new CpuWatch(pool.loopThreadIds());
            reporter = new ProgressReporter(counters, recorder, cpu, log, err, settings.connections());
            err.printf(Locale.ROOT, "load-generator: %d connections to %s, %s, ramp-up %s, warm-up %s, window %s, "
                    + "%s I/O on %d event loops; results in %s%n", settings.connections(),
                String.join(", ", settings.urls()),
                settings.firehose() ? "firehose" : settings.symbolsPerConnection() == 0 ? "idle"
                    : settings.symbolsPerConnection() + " symbols each (" + settings.skew() + " over "
                        + symbols.size() + ")",
                settings.rampUp(), DurationText.format(settings.warmup()), DurationText.format(settings.duration()),
                pool.transport(), settings.eventLoops(), dir);
            err.println("load-generator: " + timeline.plan());
            err.flush();
            if (settings.observer()) {
                pool.open(-1, null, Timeline.firehoseCommand("observer"), true);
                timeline.awaitObserver(observer, reporter);
            }
            timeline.run(pool, subscriptions, symbols, reporter, window, clock, counters, observer);
            windowStartMicros = window.startMicros();
            windowEndMicros = window.endMicros();
        } finally {
            pool.close();
        }
        reporter.tick("stopped", true, -1, -1);
        log.close();
        subscribers = pool.clients().stream().map(SimulatedClient::ledger).toList();
        if (Subprotocols.BINARY.equals(settings.subprotocol()) && counters.withoutSubprotocol.sum() > 0) {
            warn(warnings, "--subprotocol binary: the server chose no subprotocol on " + counters.withoutSubprotocol
                .sum() + " upgrades, so those connections spoke " + Subprotocols.JSON + " (the contract's default), "
                + "not binary");
        }
        if (settings.compression() && counters.compressed.sum() == 0 && counters.subscribed.sum() > 0) {
            warn(warnings, "--compression: the server accepted permessage-deflate on no connection (is it running "
                + "with --compression?); every connection was plain");
        }

        final Map<String, Object> healthAfter = new LinkedHashMap<>();
        final Map<String, Object> metricsAfter = new LinkedHashMap<>();
        readServers(probes, healthAfter, metricsAfter);

        final double windowSeconds = (windowEndMicros - windowStartMicros) / 1e6;
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("formatVersion", RunSummary.FORMAT_VERSION);
        root.put("name", settings.name());
        root.put("startedAt", started.toString());
        root.put("command", settings.command());
        root.put("stoppedEarly", timeline.stoppedEarly());
        root.put("config", config(symbols.size(), pool.transport()));
        root.put("machine", MachineInfo.describe(openFiles));
        final Map<String, Object> windowFigures = new LinkedHashMap<>();
        windowFigures.put("startEpochMicros", windowStartMicros);
        windowFigures.put("endEpochMicros", windowEndMicros);
        windowFigures.put("seconds", windowSeconds);
        windowFigures.put("drainSeconds", timeline.drainNanos() / 1e9);
        windowFigures.put("subscribersCaughtUp", counters.caughtUp.sum());
        windowFigures.put("observerCaughtUp", observer.caughtUp());
        windowFigures.put("definition", "a quote is in the window when its ts is; after the window the run drains "
            + "until every open connection has received a quote made after it (all its window quotes are then in), "
            + "or --drain-timeout passes");
        root.put("window", windowFigures);
        root.put("connections", connections(counters, timeline));
        root.put("connectTimeMicros", RunSummary.distribution(recorder.connectTotal()));
        root.put("connectTimeHistogram", HistogramCodec.encode(recorder.connectTotal()));
        final Map<String, Object> upgrade = RunSummary.distribution(recorder.upgradeTotal());
        upgrade.put("definition", "from the TCP connection being up to the server's 101 handled: the WebSocket "
            + "handshake alone, where connectTimeMicros also holds the TCP connect (and TLS)");
        root.put("upgradeTimeMicros", upgrade);
        final Histogram total = reporter.total();
        final Map<String, Object> latency = RunSummary.distribution(total);
        latency.put("negativeLatencies", counters.negativeLatencies.sum());
        latency.put("definition", "receive wall-clock time (microseconds, calibrated System.nanoTime) minus the "
            + "quote's ts, for live quotes whose ts lies in the window; snapshots excluded; HdrHistogram, "
            + LatencyRecorder.SIGNIFICANT_DIGITS + " significant digits");
        root.put("latencyMicros", latency);
        root.put("throughput", throughput(counters, windowSeconds));
        root.put("resume", resume(counters));
        root.put("seqViolations", counters.seqViolations.sum());
        root.put("seqRebases", counters.seqRebases.sum());
        root.put("feedResets", feedResets(counters));
        final Map<String, Object> errors = new LinkedHashMap<>(counters.errors());
        errors.put("total", counters.errorTotal());
        root.put("errors", errors);
        final DeliveryFigures figures = new DeliveryFigures(settings, endpoints);
        root.put("delivery", figures.delivery(subscribers, observer, windowStartMicros, windowSeconds, healthBefore));
        if (settings.slowClients().any()) {
            final Map<String, Object> groups = new LinkedHashMap<>();
            final List<ClientLedger> healthy = subscribers.stream().filter(s -> !s.isSlow() && !s.isObserver())
                .toList();
            final List<ClientLedger> slow = subscribers.stream().filter(ClientLedger::isSlow).toList();
            groups.put("healthy", figures.group(healthy, observer, windowStartMicros, windowSeconds, healthBefore,
                total));
            groups.put("slow", figures.group(slow, observer, windowStartMicros, windowSeconds, healthBefore,
                recorder.slowTotal()));
            groups.put("definition", "--slow-fraction splits the subscribers: 'healthy' read as fast as quotes "
                + "come, 'slow' as --slow-read-rate and --pause-every say. latencyMicros, latency.hlog and the "
                + "progress line cover the healthy ones only; throughput and delivery cover all. notReceived = "
                + "expected - received: updates a subscriber did not get as themselves (conflated or lost); a "
                + "healthy subscriber should have none");
            root.put("subscriberGroups", groups);
        }
        root.put("cpu", reporter.cpuFigures(settings.eventLoops()));
        root.put("warnings", warnings);
        root.put("server", Map.of("healthBefore", healthBefore, "healthAfter", healthAfter,
            "metricsBefore", metricsBefore, "metricsAfter", metricsAfter));
        root.put("runTimeline", reporter.runTimeline(timeline.phases()));
        root.put("timeSeries", reporter.series());
        root.put("timeSeriesStartEpochMillis", windowStartMicros / 1_000);
        return new Outcome(new RunSummary(root), total, dir);
    }

    private int[][] chooseSubscriptions(final int universe) {
        final int[][] out = new int[settings.connections()][];
        if (settings.firehose()) {
            return out;
        }
        final SymbolChooser chooser = new SymbolChooser(universe, settings.skew(), settings.seed());
        for (int i = 0; i < out.length; i++) {
            out[i] = chooser.choose(settings.symbolsPerConnection());
        }
        return out;
    }

    private Map<String, Object> config(final int universe, final String transport) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("urls", settings.urls());
        out.put("connections", settings.connections());
        out.put("rampUp", settings.rampUp().toString());
        out.put("symbolsPerConnection", settings.firehose() ? null : settings.symbolsPerConnection());
        out.put("firehose", settings.firehose());
        out.put("symbolSkew", settings.skew().toString());
        out.put("symbolUniverse", universe);
        out.put("duration", DurationText.format(settings.duration()));
        out.put("warmup", DurationText.format(settings.warmup()));
        out.put("drainTimeout", DurationText.format(settings.drainTimeout()));
        out.put("subprotocol", settings.subprotocol());
        out.put("compression", settings.compression());
        out.put("reconnect", settings.reconnect());
        out.put("resume", settings.resume());
        out.put("seed", settings.seed());
        out.put("observer", settings.observer());
        out.put("eventLoops", settings.eventLoops());
        out.put("transport", transport);
        out.put("connectTimeout", DurationText.format(settings.connectTimeout()));
        out.put("assertP99", settings.assertP99() == null ? null : DurationText.format(settings.assertP99()));
        out.put("assertDelivered", Double.isNaN(settings.assertDelivered()) ? null : settings.assertDelivered());
        out.put("slowClients", settings.slowClients().any() ? settings.slowClients().describe() : null);
        return out;
    }

    private Map<String, Object> connections(final RunCounters counters, final Timeline timeline) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", settings.connections());
        out.put("peakUp", counters.peakConnectionsUp.get());
        out.put("upAtEnd", counters.connectionsUp.get());
        out.put("subscribed", counters.subscribed.sum());
        out.put("compressed", counters.compressed.sum());
        final long withoutSubprotocol = counters.withoutSubprotocol.sum();
        out.put("withoutSubprotocol", withoutSubprotocol);
        if (withoutSubprotocol > 0) {
            out.put("subprotocolNote", "the server's 101 named no subprotocol on " + withoutSubprotocol
                + " upgrades; those connections were read as " + Subprotocols.JSON + ", the contract's default");
        }
        out.put("connectAttempts", counters.connectAttempts.sum());
        out.put("connectFailures", counters.connectFailures.sum());
        out.put("disconnects", counters.disconnects.sum());
        out.put("reconnects", counters.reconnects.sum());
        final long rampUpNanos = timeline.rampUpNanos();
        out.put("rampUpSeconds", rampUpNanos < 0 ? null : rampUpNanos / 1e9);
        out.put("upAtRampUpEnd", timeline.upAtRampEnd());
        out.put("subscribedAtRampUpEnd", timeline.subscribedAtRampEnd());
        out.put("connectsPerSecond", rampUpNanos <= 0 ? null : timeline.upAtRampEnd() / (rampUpNanos / 1e9));
        return out;
    }

    private static Map<String, Object> throughput(final RunCounters counters, final double seconds) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final long quotes = counters.windowQuotes.sum();
        final long frames = counters.windowFrames.sum();
        final long bytes = counters.windowBytes.sum();
        out.put("quotes", quotes);
        out.put("quotesPerSecond", seconds > 0 ? quotes / seconds : 0.0);
        out.put("frames", frames);
        out.put("framesPerSecond", seconds > 0 ? frames / seconds : 0.0);
        out.put("bytes", bytes);
        out.put("bytesPerSecond", seconds > 0 ? bytes / seconds : 0.0);
        out.put("quotesPerFrame", frames > 0 ? quotes / (double) frames : 0.0);
        out.put("conflated", counters.windowConflated.sum());
        out.put("snapshots", counters.snapshots.sum());
        out.put("quotesAllPhases", counters.quotes.sum());
        out.put("framesAllPhases", counters.frames.sum());
        out.put("bytesAllPhases", counters.bytes.sum());
        out.put("conflatedAllPhases", counters.conflated.sum());
        out.put("definition", "quotes and conflated count live quotes whose ts lies in the window; frames and "
            + "bytes (WebSocket payload) count the frames that carried such quotes; rates divide by the window");
        return out;
    }

    private Map<String, Object> resume(final RunCounters counters) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", settings.reconnect() && settings.resume());
        out.put("asked", counters.resumesAsked.sum());
        out.put("recovered", counters.resumesRecovered.sum());
        final Map<String, Long> notRecovered = counters.resumesNotRecovered();
        out.put("notRecovered", notRecovered.values().stream().mapToLong(Long::longValue).sum());
        out.put("notRecoveredByReason", notRecovered);
        out.put("replayedQuotes", counters.replayed.sum());
        out.put("definition", "asked = reconnects that subscribed with since (the highest seq the connection had "
            + "received in its epoch) and epoch; recovered = answers with recovered:true, after which the server "
            + "replays every update since then (replayedQuotes counts the quotes marked replayed, any time) and "
            + "no snapshot; notRecovered = answers with recovered:false (snapshots instead; by the server's reason, "
            + "'unanswered' when the answer had no recovered member). A reconnect before the connection's first "
            + "quote subscribes plainly and is not asked");
        return out;
    }

    private static Map<String, Object> feedResets(final RunCounters counters) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("resets", counters.feedResets());
        out.put("resetEvents", counters.resetEvents.sum());
        out.put("epochs", counters.epochs());
        out.put("definition", "resets = distinct feed epochs announced by 'reset' events (the feed restarted); "
            + "resetEvents = those events summed over subscribers; epochs = every epoch named by a 'subscribed' "
            + "answer or a reset. At a reset each subscriber forgets its per-symbol seq, so no seq violation is "
            + "counted across it");
        return out;
    }

    /** Each server's {@code /health} and {@code /metrics} now, by its HTTP base. */
    private static void readServers(final Map<String, ServerProbe> probes, final Map<String, Object> health,
        final Map<String, Object> metrics) {
        probes.forEach((base, probe) -> {
            health.put(base, probe.health());
            metrics.put(base, probe.metrics());
        });
    }

    private void warn(final List<String> warnings, final String text) {
        warnings.add(text);
        err.println("WARNING: " + text);
        err.flush();
    }

    /**
     * What a run produced.
     *
     * @param summary every figure
     * @param latency the window's latency histogram
     * @param directory the results folder
     */
    public record Outcome(RunSummary summary, Histogram latency, Path directory) {
    }

    /** A run that could not start; the message says why and what to do. */
    public static final class RunFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A failure with a message for the user. */
        public RunFailure(final String message) {
            super(message);
        }
    }
}
