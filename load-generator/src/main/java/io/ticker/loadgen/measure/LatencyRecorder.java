package io.ticker.loadgen.measure;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The run's HdrHistogram recorders. Latency has one {@link SingleWriterRecorder} per event loop (each loop owns its
 * connections, so a recorder has one writer and recording is wait-free without shared atomics) and separate ones for
 * the warm-up, which is shown but not kept. The progress reporter swaps every recorder once a second and sums the
 * loops' intervals. Connect times are rare and come from any loop, so they go to one multi-writer {@link Recorder}.
 *
 * <p>Values are microseconds with 3 significant digits, up to {@link #HIGHEST_TRACKABLE_MICROS}.
 */
public final class LatencyRecorder {
    /** Ten minutes: latencies beyond it are clamped to it (and counted). */
    public static final long HIGHEST_TRACKABLE_MICROS = 600_000_000L;
    /** Precision of every histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder[] window;
    private final SingleWriterRecorder[] warmup;
    private final SingleWriterRecorder[] slowWindow;
    private final Recorder connect = new Recorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final Recorder upgrade = new Recorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram connectTotal = newHistogram();
    private final Histogram upgradeTotal = newHistogram();
    private final Histogram slowTotal = newHistogram();
    private Histogram windowInterval;
    private Histogram warmupInterval;
    private Histogram connectInterval;
    private Histogram upgradeInterval;

    /** Recorders for {@code eventLoops} loops. */
    public LatencyRecorder(final int eventLoops) {
        window = new SingleWriterRecorder[eventLoops];
        warmup = new SingleWriterRecorder[eventLoops];
        slowWindow = new SingleWriterRecorder[eventLoops];
        for (int i = 0; i < eventLoops; i++) {
            slowWindow[i] = new SingleWriterRecorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
            window[i] = new SingleWriterRecorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
            warmup[i] = new SingleWriterRecorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
        }
    }

    /** A histogram with the run's range and precision. */
    public static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    }

    /** Records a latency of a quote in the window; call only from event loop {@code loop}. */
    public void recordWindow(final int loop, final long micros) {
        window[loop].recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
    }

    /** Records a latency of a warm-up quote; call only from event loop {@code loop}. */
    public void recordWarmup(final int loop, final long micros) {
        warmup[loop].recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
    }

    /** Records a latency of a slow subscriber's quote in the window; call only from event loop {@code loop}. */
    public void recordSlowWindow(final int loop, final long micros) {
        slowWindow[loop].recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
    }

    /** Records an upgrade time (from TCP connected to the 101 handled); any thread. */
    public void recordUpgrade(final long micros) {
        upgrade.recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
    }

    /** All upgrade times so far (a copy). */
    public synchronized Histogram upgradeTotal() {
        upgradeInterval = upgrade.getIntervalHistogram(upgradeInterval);
        upgradeTotal.add(upgradeInterval);
        return upgradeTotal.copy();
    }

    /** All slow subscribers' window latencies so far (a copy); complete once the loops have stopped. */
    public synchronized Histogram slowTotal() {
        for (final SingleWriterRecorder recorder : slowWindow) {
            slowTotal.add(recorder.getIntervalHistogram());
        }
        return slowTotal.copy();
    }

    /** Records a connect time (TCP, TLS and upgrade); any thread. */
    public void recordConnect(final long micros) {
        connect.recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
    }

    /**
     * The window latencies recorded since the last call, summed over loops, with start and end timestamps (epoch ms).
     * The returned histogram is reused by the next call; copy what must be kept.
     */
    public synchronized Histogram windowInterval() {
        windowInterval = swap(window, windowInterval);
        return windowInterval;
    }

    /** The warm-up latencies since the last call; reused like {@link #windowInterval()}. */
    public synchronized Histogram warmupInterval() {
        warmupInterval = swap(warmup, warmupInterval);
        return warmupInterval;
    }

    /** All connect times so far (a copy). */
    public synchronized Histogram connectTotal() {
        connectInterval = connect.getIntervalHistogram(connectInterval);
        connectTotal.add(connectInterval);
        return connectTotal.copy();
    }

    private static Histogram swap(final SingleWriterRecorder[] recorders, final Histogram previous) {
        final Histogram sum = previous == null ? newHistogram() : previous;
        sum.reset();
        long start = Long.MAX_VALUE;
        long end = 0;
        for (final SingleWriterRecorder recorder : recorders) {
            final Histogram interval = recorder.getIntervalHistogram();
            sum.add(interval);
            start = Math.min(start, interval.getStartTimeStamp());
            end = Math.max(end, interval.getEndTimeStamp());
        }
        sum.setStartTimeStamp(start);
        sum.setEndTimeStamp(end);
        return sum;
    }
}
