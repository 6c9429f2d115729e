package io.ticker.loadgen.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole run second by second, every phase included, for {@code summary.json}'s {@code runTimeline} and the
 * report's timeline: connections, connects, throughput, latency of the interval shown in the progress line, errors by
 * kind, and the generator's CPU. Written by the control thread once a second (cold path).
 */
final class TimelineSeries {
    private final List<Double> second = new ArrayList<>();
    private final List<String> phase = new ArrayList<>();
    private final List<Double> connectionsUp = new ArrayList<>();
    private final List<Double> connectAttemptsPerSecond = new ArrayList<>();
    private final List<Double> connectFailuresPerSecond = new ArrayList<>();
    private final List<Double> quotesPerSecond = new ArrayList<>();
    private final List<Double> framesPerSecond = new ArrayList<>();
    private final List<Double> p50Micros = new ArrayList<>();
    private final List<Double> p99Micros = new ArrayList<>();
    private final List<Double> maxMicros = new ArrayList<>();
    private final List<Double> processCpuShare = new ArrayList<>();
    private final Map<String, List<Double>> errorsPerSecond = new TreeMap<>();
    private final Map<String, Long> lastErrors = new TreeMap<>();
    private final List<Integer> recorded = new ArrayList<>();
    private final List<Double> recordedSecond = new ArrayList<>();

    /**
     * One second.
     *
     * @param atSeconds seconds since the run started
     * @param rates connects, failures, quotes and frames per second over the last interval
     * @param latency p50, p99 and max of the interval in microseconds, NaN when it held no quote
     * @param errors every error count so far, by kind
     */
    void add(final double atSeconds, final String phaseName, final int up, final double[] rates,
        final double[] latency, final double cpuShare, final Map<String, Long> errors, final double intervalSeconds) {
        final int index = second.size();
        second.add(atSeconds);
        phase.add(phaseName);
        connectionsUp.add((double) up);
        connectAttemptsPerSecond.add(rates[0]);
        connectFailuresPerSecond.add(rates[1]);
        quotesPerSecond.add(rates[2]);
        framesPerSecond.add(rates[3]);
        p50Micros.add(latency[0]);
        p99Micros.add(latency[1]);
        maxMicros.add(latency[2]);
        processCpuShare.add(cpuShare);
        errors.forEach((kind, count) -> {
            final long before = lastErrors.getOrDefault(kind, 0L);
            lastErrors.put(kind, count);
            final List<Double> perSecond = errorsPerSecond.computeIfAbsent(kind, k -> new ArrayList<>());
            while (perSecond.size() < index) {
                perSecond.add(0.0);
            }
            perSecond.add((count - before) / intervalSeconds);
        });
        for (final List<Double> perSecond : errorsPerSecond.values()) {
            while (perSecond.size() <= index) {
                perSecond.add(0.0);
            }
        }
    }

    /** Marks the point just added as one of the recorded window's, {@code sinceWindowStart} seconds into it. */
    void markRecorded(final double sinceWindowStart) {
        recorded.add(second.size() - 1);
        recordedSecond.add(sinceWindowStart);
    }

    /** The recorded window's points alone, seconds since the window opened: {@code timeSeries}. */
    Map<String, Object> windowSeries() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("second", recordedSecond);
        out.put("quotesPerSecond", pick(quotesPerSecond));
        out.put("p50Micros", pick(p50Micros));
        out.put("p99Micros", pick(p99Micros));
        out.put("maxMicros", pick(maxMicros));
        out.put("connectionsUp", pick(connectionsUp));
        out.put("processCpuShare", pick(processCpuShare));
        return out;
    }

    private List<Double> pick(final List<Double> all) {
        return recorded.stream().map(all::get).toList();
    }

    /** The series as the {@code runTimeline} section, with the phases' bounds in seconds since the start. */
    Map<String, Object> toSummary(final Map<String, Object> phases) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("second", second);
        out.put("phase", phase);
        out.put("connectionsUp", connectionsUp);
        out.put("connectAttemptsPerSecond", connectAttemptsPerSecond);
        out.put("connectFailuresPerSecond", connectFailuresPerSecond);
        out.put("quotesPerSecond", quotesPerSecond);
        out.put("framesPerSecond", framesPerSecond);
        out.put("p50Micros", p50Micros);
        out.put("p99Micros", p99Micros);
        out.put("maxMicros", maxMicros);
        out.put("processCpuShare", processCpuShare);
        out.put("errorsPerSecond", new LinkedHashMap<>(errorsPerSecond));
        out.put("phases", phases);
        out.put("definition", "one point a second over the whole run, seconds since its start; quotes and frames "
            + "count every live quote received (all phases, not only the window's); latency is the interval shown in "
            + "the progress line (warm-up quotes before the window, window quotes after); phases gives the seconds "
            + "at which the ramp-up ended, the window opened and closed, and the run ended");
        return out;
    }
}
