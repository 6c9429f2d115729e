package io.ticker.loadgen.run;

import io.ticker.loadgen.measure.CpuWatch;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.report.HumanText;
import io.ticker.loadgen.report.Micros;
import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The once-a-second heartbeat of a run, on the control thread: swaps the interval histograms, appends the recorded
 * interval to {@code latency.hlog} and to the run's total, samples CPU, keeps the per-second series for the report,
 * and prints one progress line, so that a run of minutes never looks hung.
 */
public final class ProgressReporter {
    private final RunCounters counters;
    private final LatencyRecorder recorder;
    private final CpuWatch cpu;
    private final HistogramLogWriter log;
    private final PrintWriter err;
    private final int targetConnections;
    private final Histogram total = LatencyRecorder.newHistogram();
    private final long startNanos = System.nanoTime();

    private long lastQuotes;
    private long lastFrames;
    private long lastAttempts;
    private long lastFailures;
    private final TimelineSeries timeline = new TimelineSeries();
    private long lastTickNanos = startNanos;

    private long recordStartNanos = -1;

    private int recordedSeconds;
    private int saturatedSeconds;
    private double processShareSum;
    private double processShareMax;
    private double loopShareMax;
    private double machineShareMax;

    /** A reporter printing to {@code err} and logging recorded intervals to {@code log}. */
    public ProgressReporter(final RunCounters counters, final LatencyRecorder recorder, final CpuWatch cpu,
        final HistogramLogWriter log, final PrintWriter err, final int targetConnections) {
        this.counters = counters;
        this.recorder = recorder;
        this.cpu = cpu;
        this.log = log;
        this.err = err;
        this.targetConnections = targetConnections;
    }

    /** Marks the opening of the recorded window: from now on intervals are kept. */
    public void startRecording() {
        recordStartNanos = System.nanoTime();
    }

    /**
     * One tick: reads the last interval and prints the line.
     *
     * @param phase what the run is doing, shown in the line
     * @param recording whether this interval belongs to the recorded window (recording or draining)
     * @param elapsedNanos time since the run started, or -1 to leave it out (the last line)
     * @param expectedTotalNanos how long the whole run should take as far as is known now, or -1
     */
    public void tick(final String phase, final boolean recording, final long elapsedNanos,
        final long expectedTotalNanos) {
        final long now = System.nanoTime();
        cpu.sample();
        final double seconds = Math.max(1e-3, (now - lastTickNanos) / 1e9);
        lastTickNanos = now;
        final long quotes = counters.quotes.sum();
        final double quotesPerSecond = (quotes - lastQuotes) / seconds;
        lastQuotes = quotes;
        final long frames = counters.frames.sum();
        final long attempts = counters.connectAttempts.sum();
        final long failures = counters.connectFailures.sum();
        final double[] rates = {(attempts - lastAttempts) / seconds, (failures - lastFailures) / seconds,
            quotesPerSecond, (frames - lastFrames) / seconds};
        lastFrames = frames;
        lastAttempts = attempts;
        lastFailures = failures;

        final Histogram warmupInterval = recorder.warmupInterval();
        final Histogram windowInterval = recorder.windowInterval();
        final Histogram shown;
        if (recording) {
            total.add(windowInterval);
            log.outputIntervalHistogram(windowInterval);
            shown = windowInterval;
            recordSecond(now);
        } else {
            shown = warmupInterval;
        }
        final boolean empty = shown.getTotalCount() == 0;
        final double[] latency = {empty ? Double.NaN : shown.getValueAtPercentile(50),
            empty ? Double.NaN : shown.getValueAtPercentile(99), empty ? Double.NaN : shown.getMaxValue()};
        timeline.add((elapsedNanos < 0 ? now - startNanos : elapsedNanos) / 1e9, phase,
            counters.connectionsUp.get(), rates, latency, cpu.processShare(), counters.errors(), seconds);
        if (recording) {
            timeline.markRecorded((now - recordStartNanos) / 1e9);
        }
        final StringBuilder line = new StringBuilder(160);
        // whole seconds: the line comes once a second, and "1.0s of ~25s" reads worse than "1s of ~25s"
        final String clock = elapsedNanos < 0 ? HumanText.seconds(Math.round((now - startNanos) / 1e9))
            : HumanText.seconds(Math.round(elapsedNanos / 1e9)) + " of ~"
                + HumanText.seconds(Math.round(expectedTotalNanos / 1e9));
        line.append(String.format(Locale.ROOT, "[%14s %-9s] conns %d/%d  quotes/s %,.0f  p50 %s  p99 %s  max %s"
                + "  errors %d  cpu %.0f%% (busiest loop %.0f%%)",
            clock, phase, counters.connectionsUp.get(), targetConnections, quotesPerSecond,
            Micros.text(shown.getTotalCount() == 0 ? -1 : shown.getValueAtPercentile(50)),
            Micros.text(shown.getTotalCount() == 0 ? -1 : shown.getValueAtPercentile(99)),
            Micros.text(shown.getTotalCount() == 0 ? -1 : shown.getMaxValue()),
            counters.errorTotal(), cpu.processShare() * 100, cpu.busiestLoopShare() * 100));
        if (counters.feedResets() > 0) {
            line.append("  feed resets ").append(counters.feedResets());
        }
        if (cpu.saturated()) {
            line.append("  GENERATOR SATURATED: these figures describe the generator, not the server");
        }
        err.println(line);
        err.flush();
    }

    private void recordSecond(final long now) {
        if (recordStartNanos < 0) {
            recordStartNanos = now;
        }
        recordedSeconds++;
        if (cpu.saturated()) {
            saturatedSeconds++;
        }
        processShareSum += cpu.processShare();
        processShareMax = Math.max(processShareMax, cpu.processShare());
        loopShareMax = Math.max(loopShareMax, cpu.busiestLoopShare());
        machineShareMax = Math.max(machineShareMax, cpu.machineShare());
    }

    /** The whole run second by second, with the phases' bounds, for {@code runTimeline}. */
    public java.util.Map<String, Object> runTimeline(final java.util.Map<String, Object> phases) {
        return timeline.toSummary(phases);
    }

    /** Every latency recorded in the window. */
    public Histogram total() {
        return total;
    }

    /** The per-second series of the window alone (what {@code merge} sums), for {@code timeSeries}. */
    public java.util.Map<String, Object> series() {
        return timeline.windowSeries();
    }

    /** The generator's CPU over the window, with a plain verdict. */
    public java.util.Map<String, Object> cpuFigures(final int eventLoops) {
        final java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("cores", cpu.cores());
        out.put("eventLoops", eventLoops);
        out.put("processShareAvg", recordedSeconds == 0 ? 0.0 : processShareSum / recordedSeconds);
        out.put("processShareMax", processShareMax);
        out.put("busiestLoopShareMax", loopShareMax);
        out.put("machineShareMax", machineShareMax);
        out.put("saturatedSeconds", saturatedSeconds);
        out.put("recordedSeconds", recordedSeconds);
        out.put("saturated", saturatedSeconds > 0);
        final String verdict;
        if (saturatedSeconds > 0) {
            verdict = String.format(Locale.ROOT, "SATURATED in %d of %d recorded seconds (an event loop above %.0f%% "
                + "of a core or the process above %.0f%% of the machine): the figures then describe the generator, "
                + "not the server. Use fewer connections per generator, more --event-loops, or more machines and "
                + "'merge'.", saturatedSeconds, recordedSeconds, CpuWatch.SATURATED_FRACTION * 100,
                CpuWatch.SATURATED_FRACTION * 100);
        } else {
            verdict = String.format(Locale.ROOT, "not saturated (busiest event loop peaked at %.0f%% of a core, the "
                + "process at %.0f%% of the machine)", loopShareMax * 100, processShareMax * 100);
        }
        out.put("verdict", verdict);
        if (machineShareMax > 0.95) {
            out.put("machineNote", "the whole machine was above 95% busy at times: if the server runs on the same "
                + "machine, generator and server competed for CPU");
        }
        return out;
    }
}
