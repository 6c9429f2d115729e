package io.ticker.loadgen.run;

import io.ticker.loadgen.measure.CpuWatch;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.report.HumanText;
import io.ticker.loadgen.report.Micros;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
    private long lastTickNanos = startNanos;

    private final List<Double> seriesSeconds = new ArrayList<>();
    private final List<Double> seriesQuotesPerSecond = new ArrayList<>();
    private final List<Double> seriesP50Micros = new ArrayList<>();
    private final List<Double> seriesP99Micros = new ArrayList<>();
    private final List<Double> seriesMaxMicros = new ArrayList<>();
    private final List<Double> seriesConnections = new ArrayList<>();
    private final List<Double> seriesCpu = new ArrayList<>();
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

        final Histogram warmupInterval = recorder.warmupInterval();
        final Histogram windowInterval = recorder.windowInterval();
        final Histogram shown;
        if (recording) {
            total.add(windowInterval);
            log.outputIntervalHistogram(windowInterval);
            shown = windowInterval;
            recordSecond(now, quotesPerSecond, windowInterval);
        } else {
            shown = warmupInterval;
        }
        final StringBuilder line = new StringBuilder(160);
        final String clock = elapsedNanos < 0 ? HumanText.nanos(now - startNanos)
            : HumanText.nanos(elapsedNanos) + " of ~" + HumanText.nanos(expectedTotalNanos);
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

    private void recordSecond(final long now, final double quotesPerSecond, final Histogram interval) {
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
        seriesSeconds.add((now - recordStartNanos) / 1e9);
        seriesQuotesPerSecond.add(quotesPerSecond);
        final boolean empty = interval.getTotalCount() == 0;
        seriesP50Micros.add(empty ? Double.NaN : (double) interval.getValueAtPercentile(50));
        seriesP99Micros.add(empty ? Double.NaN : (double) interval.getValueAtPercentile(99));
        seriesMaxMicros.add(empty ? Double.NaN : (double) interval.getMaxValue());
        seriesConnections.add((double) counters.connectionsUp.get());
        seriesCpu.add(cpu.processShare());
    }

    /** Every latency recorded in the window. */
    public Histogram total() {
        return total;
    }

    /** The per-second series of the window, for summary.json and the report. */
    public java.util.Map<String, Object> series() {
        final java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("second", seriesSeconds);
        out.put("quotesPerSecond", seriesQuotesPerSecond);
        out.put("p50Micros", seriesP50Micros);
        out.put("p99Micros", seriesP99Micros);
        out.put("maxMicros", seriesMaxMicros);
        out.put("connectionsUp", seriesConnections);
        out.put("processCpuShare", seriesCpu);
        return out;
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
