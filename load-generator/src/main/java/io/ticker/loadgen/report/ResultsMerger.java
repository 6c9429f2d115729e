package io.ticker.loadgen.report;

import io.ticker.loadgen.measure.LatencyRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Joins runs made at the same time by several generators into one: latency from their {@code latency.hlog} interval
 * histograms (exact, since histograms add), connect times from the histograms in their summaries, counts and rates
 * summed (the generators loaded the servers together), delivery summed over their own observers' expectations.
 */
public final class ResultsMerger {
    private ResultsMerger() {
    }

    /** Every interval histogram of an hlog, with absolute start and end timestamps (epoch ms). */
    public static List<Histogram> readIntervals(final Path hlog) throws IOException {
        final List<Histogram> out = new ArrayList<>();
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        try {
            EncodableHistogram next;
            while ((next = reader.nextIntervalHistogram()) != null) {
                if (next instanceof Histogram histogram) {
                    out.add(histogram);
                }
            }
        } finally {
            reader.close();
        }
        return out;
    }

    /** The sum of {@code intervals}. */
    public static Histogram total(final List<Histogram> intervals) {
        final Histogram total = LatencyRecorder.newHistogram();
        for (final Histogram interval : intervals) {
            total.add(interval);
        }
        return total;
    }

    /**
     * Why the runs cannot be merged as runs made at the same time: a sentence naming the first pair whose recorded
     * windows do not overlap, or null when every window overlaps every other.
     *
     * @param names how to name each run in the sentence (its folder)
     */
    public static String windowsApart(final List<RunSummary> runs, final List<String> names) {
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                final double startI = runs.get(i).number("window", "startEpochMicros");
                final double endI = runs.get(i).number("window", "endEpochMicros");
                final double startJ = runs.get(j).number("window", "startEpochMicros");
                final double endJ = runs.get(j).number("window", "endEpochMicros");
                if (Math.min(endI, endJ) <= Math.max(startI, startJ)) {
                    final boolean iFirst = endI <= startJ;
                    return String.format(Locale.ROOT, "the recorded windows of %s and %s do not overlap (%s ends "
                            + "%s before %s starts)", names.get(i), names.get(j), iFirst ? names.get(i) : names.get(j),
                        HumanText.seconds(Math.abs(iFirst ? startJ - endI : startI - endJ) / 1e6),
                        iFirst ? names.get(j) : names.get(i));
                }
            }
        }
        return null;
    }

    /**
     * The merged summary.
     *
     * @param runs the runs' summaries
     * @param intervals all their latency intervals, in time order
     */
    public static RunSummary merge(final List<RunSummary> runs, final List<Histogram> intervals, final String name,
        final String command, final List<String> sources) {
        intervals.sort(Comparator.comparingLong(Histogram::getStartTimeStamp));
        final Histogram total = total(intervals);
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("formatVersion", RunSummary.FORMAT_VERSION);
        root.put("name", name);
        root.put("startedAt", runs.stream().map(r -> r.text("startedAt")).filter(t -> t != null).sorted()
            .findFirst().orElse(null));
        root.put("command", command);
        root.put("mergedFrom", sources);

        final Map<String, Object> config = new LinkedHashMap<>(runs.get(0).section("config"));
        final List<Object> urls = new ArrayList<>();
        for (final RunSummary run : runs) {
            if (run.value("config", "urls") instanceof List<?> list) {
                for (final Object url : list) {
                    if (!urls.contains(url)) {
                        urls.add(url);
                    }
                }
            }
        }
        config.put("urls", urls);
        config.put("connections", (long) sum(runs, "config", "connections"));
        config.put("generators", runs.size());
        root.put("config", config);
        final List<Object> machines = new ArrayList<>();
        runs.forEach(run -> machines.add(run.section("machine")));
        root.put("machines", machines);
        root.put("machine", runs.get(0).section("machine"));

        long start = Long.MAX_VALUE;
        long end = 0;
        for (final RunSummary run : runs) {
            start = Math.min(start, (long) run.number("window", "startEpochMicros"));
            end = Math.max(end, (long) run.number("window", "endEpochMicros"));
        }
        final double seconds = max(runs, "window", "seconds");
        long latestStart = 0;
        long earliestEnd = Long.MAX_VALUE;
        for (final RunSummary run : runs) {
            latestStart = Math.max(latestStart, (long) run.number("window", "startEpochMicros"));
            earliestEnd = Math.min(earliestEnd, (long) run.number("window", "endEpochMicros"));
        }
        final List<String> warnings = new ArrayList<>();
        if (earliestEnd - latestStart < seconds * 1e6 / 2) {
            warnings.add(String.format(Locale.ROOT, "the runs' windows overlap for %.1f s of %.1f s: merge is meant "
                + "for runs made at the same time, so summed rates overstate what any moment saw",
                Math.max(0, earliestEnd - latestStart) / 1e6, seconds));
        }
        root.put("warnings", warnings);
        root.put("window", Map.of("startEpochMicros", start, "endEpochMicros", end, "seconds", seconds,
            "overlapNote", "the window spans the earliest start to the latest end; rates are the sums of each "
                + "generator's own rate"));

        root.put("connections", sumSection(runs, "connections", "target", "peakUp", "upAtEnd", "subscribed",
            "connectAttempts", "connectFailures", "disconnects", "reconnects"));
        final Histogram connect = LatencyRecorder.newHistogram();
        for (final RunSummary run : runs) {
            final String encoded = run.text("connectTimeHistogram");
            if (encoded != null) {
                connect.add(HistogramCodec.decode(encoded));
            }
        }
        root.put("connectTimeMicros", RunSummary.distribution(connect));
        root.put("connectTimeHistogram", HistogramCodec.encode(connect));
        final Map<String, Object> latency = RunSummary.distribution(total);
        latency.put("negativeLatencies", (long) sum(runs, "latencyMicros", "negativeLatencies"));
        latency.put("definition", runs.get(0).text("latencyMicros", "definition"));
        root.put("latencyMicros", latency);

        final Map<String, Object> throughput = sumSection(runs, "throughput", "quotes", "quotesPerSecond", "frames",
            "framesPerSecond", "bytes", "bytesPerSecond", "conflated", "snapshots", "quotesAllPhases",
            "framesAllPhases", "bytesAllPhases", "conflatedAllPhases");
        final double frames = sum(runs, "throughput", "frames");
        throughput.put("quotesPerFrame", frames > 0 ? sum(runs, "throughput", "quotes") / frames : 0.0);
        root.put("throughput", throughput);
        root.put("seqViolations", (long) sum(runs, "seqViolations"));

        final Map<String, Object> errors = new TreeMap<>();
        for (final RunSummary run : runs) {
            run.section("errors").forEach((kind, count) -> {
                if (count instanceof Number n) {
                    errors.merge(kind, n.longValue(), (x, y) -> ((Number) x).longValue() + ((Number) y).longValue());
                }
            });
        }
        root.put("errors", errors);
        root.put("delivery", delivery(runs));
        root.put("cpu", cpu(runs));
        root.put("timeSeries", series(runs, intervals, start / 1_000));
        root.put("timeSeriesStartEpochMillis", start / 1_000);
        return new RunSummary(root);
    }

    private static Map<String, Object> delivery(final List<RunSummary> runs) {
        final Map<String, Object> out = new LinkedHashMap<>();
        boolean known = true;
        double minPerSubscriber = Double.NaN;
        for (final RunSummary run : runs) {
            known &= !Double.isNaN(run.number("delivery", "expected"));
            final double min = run.number("delivery", "perSubscriberDeliveredFraction", "min");
            if (!Double.isNaN(min)) {
                minPerSubscriber = Double.isNaN(minPerSubscriber) ? min : Math.min(minPerSubscriber, min);
            }
        }
        final double expected = sum(runs, "delivery", "expected");
        final double received = sum(runs, "delivery", "received");
        final double conflated = sum(runs, "delivery", "conflated");
        out.put("method", known ? "merged" : "unknown");
        out.put("expected", known ? (long) expected : null);
        out.put("received", (long) received);
        out.put("conflated", (long) conflated);
        out.put("deliveredFraction", known && expected > 0 ? (received + conflated) / expected : null);
        out.put("receivedFraction", known && expected > 0 ? received / expected : null);
        if (!Double.isNaN(minPerSubscriber)) {
            out.put("perSubscriberDeliveredFraction", Map.of("min", minPerSubscriber));
        }
        out.put("explanation", "Sums of each generator's own expected, received and conflated counts (each "
            + "computed as in its summary); per-subscriber: the lowest minimum of any generator.");
        return out;
    }

    private static Map<String, Object> cpu(final List<RunSummary> runs) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final List<String> verdicts = new ArrayList<>();
        boolean saturated = false;
        for (int i = 0; i < runs.size(); i++) {
            saturated |= Boolean.TRUE.equals(runs.get(i).value("cpu", "saturated"));
            verdicts.add("generator " + (i + 1) + " (" + runs.get(i).text("machine", "hostname") + "): "
                + runs.get(i).text("cpu", "verdict"));
        }
        out.put("saturated", saturated);
        out.put("generators", verdicts);
        out.put("verdict", (saturated ? "SATURATED: at least one generator was the bottleneck. " : "")
            + String.join("; ", verdicts));
        return out;
    }

    private static Map<String, Object> series(final List<RunSummary> runs, final List<Histogram> intervals,
        final long startMillis) {
        final TreeMap<Long, Double> quotes = new TreeMap<>();
        for (final RunSummary run : runs) {
            final long runStart = (long) run.number("timeSeriesStartEpochMillis");
            final double[] seconds = run.numbers("timeSeries", "second");
            final double[] rates = run.numbers("timeSeries", "quotesPerSecond");
            for (int i = 0; i < Math.min(seconds.length, rates.length); i++) {
                final long bucket = Math.round((runStart + seconds[i] * 1000 - startMillis) / 1000.0);
                quotes.merge(bucket, rates[i], Double::sum);
            }
        }
        final TreeMap<Long, Histogram> latency = new TreeMap<>();
        for (final Histogram interval : intervals) {
            final long bucket = Math.round((interval.getEndTimeStamp() - startMillis) / 1000.0);
            latency.computeIfAbsent(bucket, b -> LatencyRecorder.newHistogram()).add(interval);
        }
        final List<Double> second = new ArrayList<>();
        final List<Double> rate = new ArrayList<>();
        final List<Double> p50 = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> max = new ArrayList<>();
        final TreeMap<Long, Boolean> buckets = new TreeMap<>();
        quotes.keySet().forEach(k -> buckets.put(k, true));
        latency.keySet().forEach(k -> buckets.put(k, true));
        for (final Long bucket : buckets.keySet()) {
            second.add(bucket.doubleValue());
            rate.add(quotes.getOrDefault(bucket, Double.NaN));
            final Histogram h = latency.get(bucket);
            final boolean empty = h == null || h.getTotalCount() == 0;
            p50.add(empty ? Double.NaN : (double) h.getValueAtPercentile(50));
            p99.add(empty ? Double.NaN : (double) h.getValueAtPercentile(99));
            max.add(empty ? Double.NaN : (double) h.getMaxValue());
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("second", second);
        out.put("quotesPerSecond", rate);
        out.put("p50Micros", p50);
        out.put("p99Micros", p99);
        out.put("maxMicros", max);
        return out;
    }

    private static Map<String, Object> sumSection(final List<RunSummary> runs, final String section,
        final String... keys) {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (final String key : keys) {
            final double value = sum(runs, section, key);
            out.put(key, key.endsWith("PerSecond") ? value : (Object) (long) value);
        }
        return out;
    }

    private static double sum(final List<RunSummary> runs, final String... path) {
        double total = 0;
        for (final RunSummary run : runs) {
            final double value = run.number(path);
            if (!Double.isNaN(value)) {
                total += value;
            }
        }
        return total;
    }

    private static double max(final List<RunSummary> runs, final String... path) {
        double out = 0;
        for (final RunSummary run : runs) {
            final double value = run.number(path);
            if (!Double.isNaN(value)) {
                out = Math.max(out, value);
            }
        }
        return out;
    }
}
