package io.ticker.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.loadgen.cli.CompareCommand;
import io.ticker.loadgen.cli.LoadGeneratorMain;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.protocol.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ResultsTest {
    @TempDir
    Path temp;

    @Test
    void shouldWriteAnHlogThatHdrHistogramReadsBackWithTheSameTotals() throws IOException {
        final Instant started = Instant.parse("2026-11-22T10:00:00Z");
        final Path dir = ResultsWriter.createRunDirectory(temp, "hlog", started);
        final HistogramLogWriter log = ResultsWriter.openLatencyLog(dir, started, null);
        final Histogram expected = LatencyRecorder.newHistogram();
        for (int second = 0; second < 3; second++) {
            final Histogram interval = LatencyRecorder.newHistogram();
            for (int i = 1; i <= 1000; i++) {
                interval.recordValue(i * (second + 1L) * 7);
            }
            interval.setStartTimeStamp(started.toEpochMilli() + second * 1000L);
            interval.setEndTimeStamp(started.toEpochMilli() + (second + 1) * 1000L);
            log.outputIntervalHistogram(interval);
            expected.add(interval);
        }
        log.close();

        final HistogramLogReader reader = new HistogramLogReader(dir.resolve(ResultsWriter.HLOG).toFile());
        final Histogram read = LatencyRecorder.newHistogram();
        int intervals = 0;
        EncodableHistogram next;
        while ((next = reader.nextIntervalHistogram()) != null) {
            read.add((Histogram) next);
            intervals++;
        }
        reader.close();
        assertEquals(3, intervals);
        assertEquals(expected.getTotalCount(), read.getTotalCount());
        assertEquals(expected.getMaxValue(), read.getMaxValue());
        assertEquals(expected.getValueAtPercentile(99), read.getValueAtPercentile(99));
        assertEquals(started.toEpochMilli() / 1000.0, reader.getStartTimeSec(), 1e-3);
        final List<Histogram> viaMerger = ResultsMerger.readIntervals(dir.resolve(ResultsWriter.HLOG));
        assertEquals(started.toEpochMilli() + 2000, viaMerger.get(2).getStartTimeStamp());
    }

    @Test
    void shouldMergeTwoRunsSummingCountsAndHistograms() throws IOException {
        final Path a = fakeRun("a", 1000, 100, 50);
        final Path b = fakeRun("b", 3000, 200, 0);
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        final Path merged = temp.resolve("merged");

        assertEquals(0, commandLine.execute("merge", a.toString(), b.toString(), "--out", merged.toString(),
            "--name", "both"));

        final Path dir;
        try (var list = Files.list(merged)) {
            dir = list.findFirst().orElseThrow();
        }
        for (final String file : new String[] {ResultsWriter.SUMMARY, ResultsWriter.HLOG, ResultsWriter.HGRM,
            ResultsWriter.REPORT}) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        final RunSummary summary = RunSummary.read(dir.resolve(ResultsWriter.SUMMARY));
        assertEquals(4000, summary.number("throughput", "quotes"));
        assertEquals(300, summary.number("throughput", "quotesPerSecond"), 1e-9);
        assertEquals(300, summary.number("connections", "target"));
        assertEquals(4000, summary.number("latencyMicros", "count"));
        assertEquals(50, summary.number("errors", "connect-refused"));
        assertEquals(4000, summary.number("delivery", "expected"));
        assertEquals(2, ResultsMerger.readIntervals(dir.resolve(ResultsWriter.HLOG)).size());
        assertTrue(out.toString().contains("both"), out.toString());
    }

    @Test
    void shouldCompareTwoRunsWithRatios() throws IOException {
        final RunSummary a = RunSummary.read(fakeRun("base", 1000, 100, 0).resolve(ResultsWriter.SUMMARY));
        final RunSummary b = RunSummary.read(fakeRun("next", 3000, 200, 0).resolve(ResultsWriter.SUMMARY));

        final List<CompareCommand.Row> rows = CompareCommand.rows(a, b);
        final CompareCommand.Row throughput = rows.stream().filter(r -> r.label().equals("quotes/s")).findFirst()
            .orElseThrow();
        assertEquals(2.0, throughput.ratio(), 1e-9);
        final CompareCommand.Row p50 = rows.stream().filter(r -> r.label().equals("latency p50")).findFirst()
            .orElseThrow();
        assertEquals(3.0, p50.ratio(), 0.01);
        assertTrue(CompareCommand.render(a, b).contains("B/A"));
    }

    @Test
    void shouldExitTwoWhenCompareIsGivenAFolderWithoutSummary() {
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        assertEquals(2, commandLine.execute("compare", temp.toString(), temp.toString()));
        assertTrue(err.toString().contains("summary.json"), err.toString());
    }

    @Test
    void shouldWriteJsonThatTheProtocolParserReads() {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("text", "a \"quoted\"\nline");
        root.put("nan", Double.NaN);
        root.put("list", List.of(1, 2.5, "x"));
        root.put("empty", Map.of());
        final Object parsed = JsonParser.parse(JsonText.write(root));
        assertTrue(parsed instanceof Map<?, ?>);
        final Map<?, ?> map = (Map<?, ?>) parsed;
        assertEquals("a \"quoted\"\nline", map.get("text"));
        assertEquals(JsonParser.NULL, map.get("nan"));
    }

    @Test
    void shouldRefuseToMergeRunsWhoseWindowsDoNotOverlapUnlessForced() throws IOException {
        final Path a = fakeRun("early", 1000, 100, 0, 0);
        final Path b = fakeRun("late", 1000, 100, 0, 60);
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        commandLine.setErr(new PrintWriter(err, true));
        final Path merged = temp.resolve("merged");

        assertEquals(2, commandLine.execute("merge", a.toString(), b.toString(), "--out", merged.toString()));
        assertTrue(err.toString().contains("do not overlap") && err.toString().contains("--force"), err.toString());
        assertFalse(Files.exists(merged), "nothing written");

        assertEquals(0, commandLine.execute("merge", a.toString(), b.toString(), "--out", merged.toString(),
            "--force"));
        try (var list = Files.list(merged)) {
            final String report = Files.readString(list.findFirst().orElseThrow().resolve(ResultsWriter.REPORT));
            assertTrue(report.contains("WARNING: --force: the recorded windows of"), "the report says so");
        }
    }

    @Test
    void shouldListTheSettingsThatDifferAndFlagDifferencesWithinTheRunsSpread() throws IOException {
        final RunSummary a = RunSummary.read(fakeRun("base", 1000, 100, 0).resolve(ResultsWriter.SUMMARY));
        final RunSummary b = RunSummary.read(fakeRun("next", 3000, 200, 0).resolve(ResultsWriter.SUMMARY));

        final String text = CompareCommand.render(a, b);
        assertTrue(text.contains("settings that differ") && text.contains("connections: 100 | 200"), text);
        assertTrue(new CompareCommand.Row("p99", 100, 105, CompareCommand.Kind.MICROS, 10, 8).withinSpread());
        assertFalse(new CompareCommand.Row("p99", 100, 150, CompareCommand.Kind.MICROS, 10, 8).withinSpread());
        assertFalse(new CompareCommand.Row("p99", 100, 101, CompareCommand.Kind.MICROS).withinSpread(),
            "no spread known, no flag");
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("timeSeries", Map.of("quotesPerSecond", List.of(90.0, 100.0, 110.0)));
        assertEquals(10, CompareCommand.spread(new RunSummary(root), "quotesPerSecond"), 1e-9);
    }

    @Test
    void shouldWriteASelfContainedReportWithChartsAndReadableSettings() throws IOException {
        final String report = Files.readString(fakeRun("page", 1000, 100, 0).resolve(ResultsWriter.REPORT));
        assertTrue(report.contains("<svg") && report.contains("Latency by percentile"), "charts drawn inline");
        assertFalse(report.contains("src=\"http") || report.contains("href=\"http"), "nothing from the network");
        assertFalse(report.contains(">null<"), "no null in the tables");
        assertTrue(report.contains("subprotocol offered"), "settings table");
    }

    /** A results folder as a run writes it, with {@code quotes} latencies of {@code scale} x 1..n microseconds. */
    private Path fakeRun(final String name, final int quotes, final double quotesPerSecond, final long refused)
        throws IOException {
        return fakeRun(name, quotes, quotesPerSecond, refused, 0);
    }

    private Path fakeRun(final String name, final int quotes, final double quotesPerSecond, final long refused,
        final int startOffsetSeconds) throws IOException {
        final Instant started = Instant.parse("2026-11-22T10:00:00Z").plusSeconds(startOffsetSeconds);
        final Path dir = ResultsWriter.createRunDirectory(temp.resolve("runs"), name, started);
        final Histogram latency = LatencyRecorder.newHistogram();
        for (int i = 1; i <= quotes; i++) {
            latency.recordValue(i);
        }
        latency.setStartTimeStamp(started.toEpochMilli());
        latency.setEndTimeStamp(started.toEpochMilli() + 1000);
        final HistogramLogWriter log = ResultsWriter.openLatencyLog(dir, started, null);
        log.outputIntervalHistogram(latency);
        log.close();
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", name);
        root.put("startedAt", started.toString());
        final Map<String, Object> config = new LinkedHashMap<>();
        config.put("urls", List.of("ws://127.0.0.1:1/ws"));
        config.put("connections", quotesPerSecond);
        root.put("config", config);
        root.put("window", Map.of("startEpochMicros", started.toEpochMilli() * 1000,
            "endEpochMicros", started.toEpochMilli() * 1000 + 10_000_000, "seconds", 10.0));
        root.put("connections", Map.of("target", quotesPerSecond, "peakUp", quotesPerSecond));
        root.put("latencyMicros", RunSummary.distribution(latency));
        root.put("throughput", Map.of("quotes", quotes, "quotesPerSecond", quotesPerSecond, "frames", quotes / 2));
        final Map<String, Object> errors = new LinkedHashMap<>();
        errors.put("connect-refused", refused);
        errors.put("total", refused);
        root.put("errors", errors);
        root.put("delivery", Map.of("expected", quotes, "received", quotes, "conflated", 0));
        root.put("cpu", Map.of("saturated", false, "verdict", "not saturated"));
        root.put("timeSeries", Map.of("second", List.of(1.0), "quotesPerSecond", List.of(quotesPerSecond)));
        root.put("timeSeriesStartEpochMillis", started.toEpochMilli());
        final RunSummary summary = new RunSummary(root);
        ResultsWriter.writeResults(dir, summary, latency);
        return dir;
    }
}
