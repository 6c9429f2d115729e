package io.ticker.loadgen.run;

import io.ticker.loadgen.connect.ClientPool;
import io.ticker.loadgen.connect.Endpoint;
import io.ticker.loadgen.connect.ServerProbe;
import io.ticker.loadgen.connect.SimulatedClient;
import io.ticker.loadgen.decode.SymbolTable;
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
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    /** The shortest drain after the window, in which late quotes made inside it still count. */
    public static final long DRAIN_MIN_MS = 200;
    private static final long CONTROL_PERIOD_MS = 5;
    private static final int OPEN_FILES_HEADROOM = 64;

    private final RunSettings settings;
    private final List<Endpoint> endpoints;
    private final PrintWriter err;
    private final BooleanSupplier stopRequested;
    private long drainNanos;
    private long rampUpNanos = -1;
    private int upAtRampEnd;
    private long subscribedAtRampEnd;
    private boolean stoppedEarly;

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
        probes.forEach((base, probe) -> {
            healthBefore.put(base, probe.health());
            metricsBefore.put(base, probe.metrics());
        });
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
        final ClientPool pool = new ClientPool(settings, endpoints, symbols, counters, recorder, clock,
            window, observer);
        final List<SimulatedClient> subscribers;
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
            err.flush();
            if (settings.observer()) {
                pool.open(-1, null, firehoseCommand("observer"), true);
                awaitObserver(observer, reporter);
            }
            timeline(pool, subscriptions, symbols, reporter, window, clock, counters, observer);
            windowStartMicros = window.startMicros();
            windowEndMicros = window.endMicros();
        } finally {
            pool.close();
        }
        reporter.tick("stopped", true);
        log.close();
        subscribers = pool.subscribers();
        if (settings.compression() && counters.compressed.sum() == 0 && counters.subscribed.sum() > 0) {
            warn(warnings, "--compression: the server accepted permessage-deflate on no connection (is it running "
                + "with --compression?); every connection was plain");
        }

        final Map<String, Object> healthAfter = new LinkedHashMap<>();
        final Map<String, Object> metricsAfter = new LinkedHashMap<>();
        probes.forEach((base, probe) -> {
            healthAfter.put(base, probe.health());
            metricsAfter.put(base, probe.metrics());
        });

        final double windowSeconds = (windowEndMicros - windowStartMicros) / 1e6;
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("formatVersion", RunSummary.FORMAT_VERSION);
        root.put("name", settings.name());
        root.put("startedAt", started.toString());
        root.put("command", settings.command());
        root.put("stoppedEarly", stoppedEarly);
        root.put("config", config(symbols.size(), pool.transport()));
        root.put("machine", MachineInfo.describe(openFiles));
        final Map<String, Object> windowFigures = new LinkedHashMap<>();
        windowFigures.put("startEpochMicros", windowStartMicros);
        windowFigures.put("endEpochMicros", windowEndMicros);
        windowFigures.put("seconds", windowSeconds);
        windowFigures.put("drainSeconds", drainNanos / 1e9);
        windowFigures.put("subscribersCaughtUp", counters.caughtUp.sum());
        windowFigures.put("observerCaughtUp", observer.caughtUp());
        windowFigures.put("definition", "a quote is in the window when its ts is; after the window the run drains "
            + "until every open connection has received a quote made after it (all its window quotes are then in), "
            + "or --drain-timeout passes");
        root.put("window", windowFigures);
        root.put("connections", connections(counters));
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
        root.put("seqViolations", counters.seqViolations.sum());
        root.put("seqRebases", counters.seqRebases.sum());
        final Map<String, Object> errors = new LinkedHashMap<>(counters.errors());
        errors.put("total", counters.errorTotal());
        root.put("errors", errors);
        root.put("delivery", delivery(subscribers, observer, windowStartMicros, windowSeconds, healthBefore));
        if (settings.slowClients().any()) {
            final Map<String, Object> groups = new LinkedHashMap<>();
            final List<SimulatedClient> healthy = subscribers.stream().filter(s -> !s.isSlow() && !s.isObserver())
                .toList();
            groups.put("healthy", group(healthy, observer, windowStartMicros, windowSeconds, healthBefore, total));
            groups.put("slow", group(subscribers.stream().filter(SimulatedClient::isSlow).toList(), observer,
                windowStartMicros, windowSeconds, healthBefore, recorder.slowTotal()));
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
        root.put("timeSeries", reporter.series());
        root.put("timeSeriesStartEpochMillis", windowStartMicros / 1_000);
        return new Outcome(new RunSummary(root), total, dir);
    }

    /**
     * Whether the ramp-up is over once every connection has been opened: each one is up or has failed, and each one up
     * has had its subscription acknowledged, or a connect timeout has passed since the last was opened. Waiting for the
     * acknowledgements matters on a saturated server: one that reads a new connection's {@code subscribe} seconds late
     * sends it nothing until then, and a window opened before that counted those seconds as quotes not received
     * (scenario E: 2-5% short for the last connections of the ramp-up, with nothing conflated).
     *
     * @param silent connections that send no subscribe command, and so are never acknowledged
     */
    static boolean rampDone(final int connections, final int up, final long failures, final long subscribed,
        final int silent, final long sinceLastOpenNanos, final long connectTimeoutNanos) {
        final boolean settled = up + failures >= connections && subscribed >= up - silent;
        return settled || sinceLastOpenNanos >= connectTimeoutNanos;
    }

    /** The observer must be subscribed before anything is counted; waits up to the connect timeout. */
    private void awaitObserver(final DeliveryObserver observer, final ProgressReporter reporter) {
        final long deadline = System.nanoTime() + settings.connectTimeout().toNanos() + 1_000_000_000L;
        while (!observer.isSubscribed() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(CONTROL_PERIOD_MS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!observer.isSubscribed()) {
            err.println("WARNING: the observer connection did not subscribe in time; delivered fractions will be "
                + "unknown");
            err.flush();
        }
    }

    /**
     * Ramp-up, warm-up, window, drain. The ramp-up ends when every connection has been attempted and has settled (up
     * or failed), or a connect timeout after the last attempt, so the warm-up and the window see the full load.
     */
    private void timeline(final ClientPool pool, final int[][] subscriptions, final SymbolTable symbols,
        final ProgressReporter reporter, final RecordingWindow window, final EpochClock clock,
        final RunCounters counters, final DeliveryObserver observer) {
        final long start = System.nanoTime();
        final double rate = settings.rampUp().ratePerSecond(settings.connections());
        int silent = 0;
        for (final int[] ids : subscriptions) {
            silent += ids != null && ids.length == 0 ? 1 : 0;
        }
        long nextTick = start + 1_000_000_000L;
        int opened = 0;
        long lastOpenNanos = start;
        long rampDoneNanos = -1;
        long windowOpenNanos = -1;
        long windowCloseNanos = -1;
        final long warmupNanos = settings.warmup().toNanos();
        final long durationNanos = settings.duration().toNanos();
        while (true) {
            final long now = System.nanoTime();
            if (stopRequested.getAsBoolean()) {
                stoppedEarly = true;
                if (windowOpenNanos < 0) {
                    window.open(clock.nowMicros());
                    reporter.startRecording();
                }
                if (windowCloseNanos < 0) {
                    window.close(clock.nowMicros());
                }
                err.println("load-generator: stopped early; writing the results recorded so far");
                err.flush();
                return;
            }
            if (opened < settings.connections()) {
                final long due = Double.isInfinite(rate) ? settings.connections()
                    : Math.min(settings.connections(), (long) ((now - start) / 1e9 * rate) + 1);
                while (opened < due) {
                    final int[] ids = subscriptions[opened];
                    pool.open(opened, ids, ids == null ? firehoseCommand("s" + opened)
                        : ids.length == 0 ? null : subscribeCommand(ids, symbols, "s" + opened), false);
                    opened++;
                }
                lastOpenNanos = now;
            }
            if (rampDoneNanos < 0 && opened == settings.connections()
                && rampDone(settings.connections(), counters.connectionsUp.get(), counters.connectFailures.sum(),
                    counters.subscribed.sum(), silent, now - lastOpenNanos, settings.connectTimeout().toNanos())) {
                rampDoneNanos = now;
                rampUpNanos = now - start;
                upAtRampEnd = counters.connectionsUp.get();
                subscribedAtRampEnd = counters.subscribed.sum();
            }
            if (rampDoneNanos >= 0 && windowOpenNanos < 0 && now - rampDoneNanos >= warmupNanos) {
                windowOpenNanos = now;
                window.open(clock.nowMicros());
                reporter.startRecording();
            }
            if (windowOpenNanos >= 0 && windowCloseNanos < 0 && now - windowOpenNanos >= durationNanos) {
                windowCloseNanos = now;
                window.close(clock.nowMicros());
            }
            if (windowCloseNanos >= 0 && drained(now - windowCloseNanos, counters, observer)) {
                drainNanos = now - windowCloseNanos;
                return;
            }
            if (now >= nextTick) {
                nextTick += 1_000_000_000L;
                clock.recalibrate();
                final String phase = windowCloseNanos >= 0 ? "draining" : windowOpenNanos >= 0 ? "recording"
                    : rampDoneNanos >= 0 ? "warm-up" : "ramp-up";
                reporter.tick(phase, windowOpenNanos >= 0);
            }
            try {
                Thread.sleep(CONTROL_PERIOD_MS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                window.close(clock.nowMicros());
                return;
            }
        }
    }

    /**
     * Whether the drain after the window is over: every open subscriber (and the observer) has received a quote made
     * after the window, so each holds all of its window quotes however far behind it ran; or the drain timeout passed.
     */
    private boolean drained(final long elapsedNanos, final RunCounters counters, final DeliveryObserver observer) {
        if (elapsedNanos >= settings.drainTimeout().toNanos()) {
            return true;
        }
        final boolean observerDone = !settings.observer() || !observer.isSubscribed() || observer.caughtUp();
        // idle connections subscribe to nothing and so never catch up: only subscribed ones are waited for
        final long waitingFor = Math.min(counters.connectionsUp.get(), counters.subscribed.sum());
        return elapsedNanos >= DRAIN_MIN_MS * 1_000_000L && observerDone && counters.caughtUp.sum() >= waitingFor;
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

    static String subscribeCommand(final int[] ids, final SymbolTable symbols, final String id) {
        final StringBuilder command = new StringBuilder(32 + ids.length * 8)
            .append("{\"op\":\"subscribe\",\"symbols\":[");
        for (int i = 0; i < ids.length; i++) {
            command.append(i == 0 ? "\"" : ",\"").append(symbols.name(ids[i])).append('"');
        }
        return command.append("],\"id\":\"").append(id).append("\"}").toString();
    }

    static String firehoseCommand(final String id) {
        return "{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"" + id + "\"}";
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

    private Map<String, Object> connections(final RunCounters counters) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", settings.connections());
        out.put("peakUp", counters.peakConnectionsUp.get());
        out.put("upAtEnd", counters.connectionsUp.get());
        out.put("subscribed", counters.subscribed.sum());
        out.put("compressed", counters.compressed.sum());
        out.put("connectAttempts", counters.connectAttempts.sum());
        out.put("connectFailures", counters.connectFailures.sum());
        out.put("disconnects", counters.disconnects.sum());
        out.put("reconnects", counters.reconnects.sum());
        out.put("rampUpSeconds", rampUpNanos < 0 ? null : rampUpNanos / 1e9);
        out.put("upAtRampUpEnd", upAtRampEnd);
        out.put("subscribedAtRampUpEnd", subscribedAtRampEnd);
        out.put("connectsPerSecond", rampUpNanos <= 0 ? null : upAtRampEnd / (rampUpNanos / 1e9));
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

    private Map<String, Object> delivery(final List<SimulatedClient> subscribers, final DeliveryObserver observer,
        final long windowStartMicros, final double windowSeconds, final Map<String, Object> healthBefore) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final List<Double> fractions = new ArrayList<>();
        long expected = 0;
        long received = 0;
        long conflated = 0;
        String method;
        if (settings.observer() && observer.covers(windowStartMicros)) {
            method = "observer";
            final long all = observer.totalUpdates();
            for (final SimulatedClient subscriber : subscribers) {
                if (subscriber.isObserver()) {
                    continue;
                }
                long mine = 0;
                if (subscriber.symbolIds() == null) {
                    mine = all;
                } else {
                    for (final int id : subscriber.symbolIds()) {
                        mine += observer.updates(id);
                    }
                }
                expected += mine;
                received += subscriber.receivedInWindow();
                conflated += subscriber.conflatedInWindow();
                if (mine > 0) {
                    fractions.add((subscriber.receivedInWindow() + subscriber.conflatedInWindow()) / (double) mine);
                }
            }
            out.put("explanation", "An extra firehose connection (the observer, not counted as a subscriber) "
                + "counted every update per symbol whose ts lies in the window (a quote with conflated:N counts "
                + "N+1; at the window's edges only the share of the N made inside it, taking them as spread evenly "
                + "since the symbol's previous quote). Expected for a subscriber = the sum of those counts over its "
                + "symbols. Delivered fraction = "
                + "(quotes received + quotes reported conflated) / expected; received fraction = received / "
                + "expected. Windows are decided by ts, so late quotes count; a subscriber that was down for part "
                + "of the window misses updates."
                + (endpoints.size() > 1 ? " With several URLs the observer watches " + endpoints.get(
                    Math.floorMod(-1, endpoints.size())) + " only, which is right when every server carries the "
                    + "same feed (same seq on every server, as the contract says); servers with independent feeds "
                    + "make the expectation meaningless: run with --no-observer then." : ""));
        } else {
            final Object rate = rateFromHealth(healthBefore);
            if (settings.firehose() && rate instanceof Number published && windowSeconds > 0) {
                method = "published-rate";
                final long perSubscriber = Math.round(published.doubleValue() * windowSeconds);
                for (final SimulatedClient subscriber : subscribers) {
                    if (subscriber.isObserver()) {
                        continue;
                    }
                    expected += perSubscriber;
                    received += subscriber.receivedInWindow();
                    conflated += subscriber.conflatedInWindow();
                    if (perSubscriber > 0) {
                        fractions.add((subscriber.receivedInWindow() + subscriber.conflatedInWindow())
                            / (double) perSubscriber);
                    }
                }
                out.put("explanation", "Expected per firehose subscriber = the server's published ratePerSecond "
                    + "(/health) x window seconds; an estimate, since a feed does not hold its rate exactly.");
            } else {
                method = "unknown";
                for (final SimulatedClient subscriber : subscribers) {
                    if (!subscriber.isObserver()) {
                        received += subscriber.receivedInWindow();
                        conflated += subscriber.conflatedInWindow();
                    }
                }
                out.put("explanation", settings.observer()
                    ? "The observer connection was not subscribed for the whole window, so expected deliveries are "
                        + "unknown."
                    : "No observer (--no-observer) and no usable published rate, so expected deliveries are "
                        + "unknown.");
            }
        }
        if ("observer".equals(method)) {
            out.put("observerReceived", observer.received());
            out.put("observerConflated", observer.conflated());
            out.put("observerUpdates", observer.totalUpdates());
            final Object rate = rateFromHealth(healthBefore);
            if (rate instanceof Number published && windowSeconds > 0) {
                // a cross-check that needs no trust in conflated counts: the feed's own rate over the window
                final double implied = published.doubleValue() * windowSeconds;
                out.put("publishedRateUpdates", Math.round(implied));
                final double ratio = observer.totalUpdates() / implied;
                out.put("observerToPublishedRatio", ratio);
                if (Math.abs(ratio - 1) > 0.05) {
                    out.put("warning", String.format(Locale.ROOT, "the observer counted %d updates in the window "
                        + "(%d received + %d reported conflated) but the server's published rate implies %.0f; "
                        + "either the feed did not hold its rate or the server's conflated counts are off, so treat "
                        + "the delivered fraction with care", observer.totalUpdates(), observer.received(),
                        observer.conflated(), implied));
                }
            }
        }
        out.put("method", method);
        out.put("expected", "unknown".equals(method) ? null : expected);
        out.put("received", received);
        out.put("conflated", conflated);
        out.put("deliveredFraction", expected > 0 ? (received + conflated) / (double) expected : null);
        out.put("receivedFraction", expected > 0 ? received / (double) expected : null);
        if (!fractions.isEmpty()) {
            final double[] sorted = fractions.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            final Map<String, Object> per = new LinkedHashMap<>();
            per.put("subscribers", sorted.length);
            per.put("min", sorted[0]);
            per.put("p1", sorted[(int) Math.floor(0.01 * (sorted.length - 1))]);
            per.put("median", sorted[(sorted.length - 1) / 2]);
            per.put("max", sorted[sorted.length - 1]);
            per.put("below99Percent", Arrays.stream(sorted).filter(f -> f < 0.99).count());
            out.put("perSubscriberDeliveredFraction", per);
        }
        return out;
    }

    /** Delivery, seq order and latency of one group of subscribers ({@code --slow-fraction}). */
    private Map<String, Object> group(final List<SimulatedClient> members, final DeliveryObserver observer,
        final long windowStartMicros, final double windowSeconds, final Map<String, Object> healthBefore,
        final Histogram latency) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("subscribers", members.size());
        long violations = 0;
        long conflatedMax = 0;
        for (final SimulatedClient member : members) {
            violations += member.seqViolations();
            conflatedMax = Math.max(conflatedMax, member.conflatedInWindow());
        }
        final Map<String, Object> delivery = delivery(members, observer, windowStartMicros, windowSeconds,
            healthBefore);
        delivery.remove("explanation");
        final Object expected = delivery.get("expected");
        final long received = ((Number) delivery.get("received")).longValue();
        out.put("notReceived", expected instanceof Number e ? e.longValue() - received : null);
        out.put("conflatedMaxPerSubscriber", conflatedMax);
        out.put("seqViolations", violations);
        out.put("delivery", delivery);
        out.put("latencyMicros", RunSummary.distribution(latency));
        return out;
    }

    private static Object rateFromHealth(final Map<String, Object> healthBefore) {
        double sum = 0;
        final Set<String> seen = new LinkedHashSet<>();
        for (final Map.Entry<String, Object> entry : healthBefore.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> health && health.get("ratePerSecond") instanceof Number n
                && seen.add(entry.getKey())) {
                // several servers on one feed publish the same updates: their rate is one feed's, not a sum
                sum = Math.max(sum, n.doubleValue());
            }
        }
        return sum > 0 ? sum : null;
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
