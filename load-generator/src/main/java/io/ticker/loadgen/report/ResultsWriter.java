package io.ticker.loadgen.report;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A run's folder, {@code <out>/<UTC timestamp>-<name>/}: {@code summary.json} (every figure), {@code latency.hlog}
 * (interval histograms, readable by HdrHistogram's {@code HistogramLogProcessor}), {@code latency.hgrm} (the
 * percentile distribution) and {@code report.html} (self-contained, with charts).
 */
public final class ResultsWriter {
    /** File names inside a results folder. */
    public static final String SUMMARY = "summary.json";
    /** Interval histogram log. */
    public static final String HLOG = "latency.hlog";
    /** Percentile distribution. */
    public static final String HGRM = "latency.hgrm";
    /** The report. */
    public static final String REPORT = "report.html";

    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneOffset.UTC);

    private ResultsWriter() {
    }

    /** Creates a fresh folder for a run named {@code name} started at {@code started}. */
    public static Path createRunDirectory(final Path out, final String name, final Instant started)
        throws IOException {
        final String base = FOLDER_TIME.format(started) + "-" + safe(name);
        Path dir = out.resolve(base);
        for (int i = 2; Files.exists(dir); i++) {
            dir = out.resolve(base + "-" + i);
        }
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Opens {@code latency.hlog} with the headers {@code HistogramLogProcessor} needs: format version, start time,
     * base time and legend. Values are microseconds.
     */
    public static HistogramLogWriter openLatencyLog(final Path dir, final Instant started, final Object about)
        throws FileNotFoundException {
        final HistogramLogWriter log = new HistogramLogWriter(dir.resolve(HLOG).toFile());
        final long startMillis = started.toEpochMilli();
        log.outputComment("ticker load-generator latency log: quote receive time - ts, in MICROSECONDS");
        log.outputComment("read with: HistogramLogProcessor -i latency.hlog -outputValueUnitRatio 1000 (for ms)");
        log.outputLogFormatVersion();
        log.outputStartTime(startMillis);
        log.setBaseTime(startMillis);
        log.outputBaseTime(startMillis);
        log.outputLegend();
        return log;
    }

    /** Writes {@code summary.json}, {@code latency.hgrm} and {@code report.html} into {@code dir}. */
    public static void writeResults(final Path dir, final RunSummary summary, final Histogram latency)
        throws IOException {
        writeResults(dir, summary, latency, HtmlReport.render(summary, latency));
    }

    /** The same with a report page made by the caller (a merge's, with its inputs overlaid). */
    public static void writeResults(final Path dir, final RunSummary summary, final Histogram latency,
        final String reportHtml) throws IOException {
        Files.writeString(dir.resolve(SUMMARY), summary.toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(HGRM), percentileDistribution(latency), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(REPORT), reportHtml, StandardCharsets.UTF_8);
    }

    /** HdrHistogram's percentile distribution, in milliseconds. */
    public static String percentileDistribution(final Histogram latency) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            out.println("# quote latency (receive time - ts) in milliseconds; recorded in microseconds");
            if (latency.getTotalCount() == 0) {
                out.println("# no quotes were recorded");
            } else {
                latency.outputPercentileDistribution(out, 5, 1000.0);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String safe(final String name) {
        final String cleaned = name.replaceAll("[^A-Za-z0-9._-]+", "-");
        return cleaned.isEmpty() ? "run" : cleaned;
    }
}
