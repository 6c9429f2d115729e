package io.ticker.loadgen.run;

import io.ticker.loadgen.connect.ClientPool;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.loadgen.measure.DeliveryObserver;
import io.ticker.loadgen.measure.EpochClock;
import io.ticker.loadgen.measure.RecordingWindow;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.loadgen.report.HumanText;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The phases of a run on the control thread: open the connections at the ramp-up rate, warm up, record the window,
 * drain; it decides when each phase ends and ticks the progress reporter once a second. What it learnt on the way
 * (how long the ramp-up and the drain took, how many were up at the ramp-up's end, whether Ctrl-C stopped it) is read
 * afterwards for the summary.
 */
final class Timeline {
    /** The shortest drain after the window, in which late quotes made inside it still count. */
    static final long DRAIN_MIN_MS = 200;
    private static final long CONTROL_PERIOD_MS = 5;

    private final RunSettings settings;
    private final PrintWriter err;
    private final BooleanSupplier stopRequested;
    private long drainNanos;
    private long rampUpNanos = -1;
    private int upAtRampEnd;
    private long subscribedAtRampEnd;
    private boolean stoppedEarly;
    private final Map<String, Object> phases = new LinkedHashMap<>();

    Timeline(final RunSettings settings, final PrintWriter err, final BooleanSupplier stopRequested) {
        this.settings = settings;
        this.err = err;
        this.stopRequested = stopRequested;
    }

    /**
     * How long the whole run should take, from the settings alone: the ramp-up at its rate (connections settle within
     * a connect timeout after the last is opened; not counted), the warm-up, the window and the longest drain.
     */
    long plannedNanos() {
        return rampUpEstimateNanos() + settings.warmup().toNanos() + settings.duration().toNanos()
            + settings.drainTimeout().toNanos();
    }

    /** What {@link #plannedNanos()} is made of, for the line that opens the run. */
    String plan() {
        return String.format(Locale.ROOT, "the whole run takes up to about %s: ramp-up ~%s (%d connections at %s), "
                + "warm-up %s, window %s, drain up to %s", HumanText.nanos(plannedNanos()),
            HumanText.nanos(rampUpEstimateNanos()), settings.connections(), settings.rampUp(),
            HumanText.nanos(settings.warmup().toNanos()), HumanText.nanos(settings.duration().toNanos()),
            HumanText.nanos(settings.drainTimeout().toNanos()));
    }

    private long rampUpEstimateNanos() {
        final double rate = settings.rampUp().ratePerSecond(settings.connections());
        return Double.isInfinite(rate) || rate <= 0 ? 0 : (long) (settings.connections() / rate * 1e9);
    }

    /** How long the drain after the window took, in nanoseconds. */
    long drainNanos() {
        return drainNanos;
    }

    /** How long the ramp-up took, in nanoseconds, or -1 when it never ended. */
    long rampUpNanos() {
        return rampUpNanos;
    }

    /** Connections up when the ramp-up ended. */
    int upAtRampEnd() {
        return upAtRampEnd;
    }

    /** Subscriptions acknowledged when the ramp-up ended. */
    long subscribedAtRampEnd() {
        return subscribedAtRampEnd;
    }

    /** Seconds since the start at which the ramp-up ended, the window opened and closed, and the run ended. */
    Map<String, Object> phases() {
        return phases;
    }

    /** Whether a stop request (Ctrl-C) ended the run. */
    boolean stoppedEarly() {
        return stoppedEarly;
    }

    /**
     * Whether the ramp-up is over once every connection has been opened: each one is up or has failed, and each one up
     * has had its subscription acknowledged, or a connect timeout has passed since the last was opened. Waiting for the
     * acknowledgements matters on a saturated server: one that reads a new connection's {@code subscribe} seconds late
     * sends it nothing until then, and a window opened before that counted those seconds as quotes not received.
     *
     * @param silent connections that send no subscribe command, and so are never acknowledged
     */
    static boolean rampDone(final int connections, final int up, final long failures, final long subscribed,
        final int silent, final long sinceLastOpenNanos, final long connectTimeoutNanos) {
        final boolean settled = up + failures >= connections && subscribed >= up - silent;
        return settled || sinceLastOpenNanos >= connectTimeoutNanos;
    }

    /** The observer must be subscribed before anything is counted; waits up to the connect timeout. */
    void awaitObserver(final DeliveryObserver observer, final ProgressReporter reporter) {
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
    void run(final ClientPool pool, final int[][] subscriptions, final SymbolTable symbols,
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
                mark("end", now - start);
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
                mark("rampUpEnd", rampUpNanos);
            }
            if (rampDoneNanos >= 0 && windowOpenNanos < 0 && now - rampDoneNanos >= warmupNanos) {
                windowOpenNanos = now;
                window.open(clock.nowMicros());
                reporter.startRecording();
                mark("windowStart", now - start);
            }
            if (windowOpenNanos >= 0 && windowCloseNanos < 0 && now - windowOpenNanos >= durationNanos) {
                windowCloseNanos = now;
                window.close(clock.nowMicros());
                mark("windowEnd", now - start);
            }
            if (windowCloseNanos >= 0 && drained(now - windowCloseNanos, counters, observer)) {
                drainNanos = now - windowCloseNanos;
                mark("end", now - start);
                return;
            }
            if (now >= nextTick) {
                nextTick += 1_000_000_000L;
                clock.recalibrate();
                final String phase = windowCloseNanos >= 0 ? "draining" : windowOpenNanos >= 0 ? "recording"
                    : rampDoneNanos >= 0 ? "warm-up" : "ramp-up";
                // the total firms up as phases end: the actual ramp-up replaces its estimate, then the window's end
                final long expectedTotal = windowCloseNanos >= 0
                    ? windowCloseNanos - start + settings.drainTimeout().toNanos()
                    : rampDoneNanos >= 0 ? rampDoneNanos - start + plannedNanos() - rampUpEstimateNanos()
                    : Math.max(now - start, rampUpEstimateNanos()) + plannedNanos() - rampUpEstimateNanos();
                reporter.tick(phase, windowOpenNanos >= 0, now - start, expectedTotal);
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

    private void mark(final String phase, final long sinceStartNanos) {
        phases.putIfAbsent(phase, sinceStartNanos / 1e9);
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
}
