package io.ticker.loadgen.cli;

import io.ticker.loadgen.report.HtmlReport;
import io.ticker.loadgen.report.Micros;
import io.ticker.loadgen.report.ReportTables;
import io.ticker.loadgen.report.ResultsMerger;
import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.report.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code compare A B}: two runs side by side: the settings that differ, percentiles, throughput and delivery with the
 * ratio B/A, each difference that is smaller than the runs' own second-to-second spread flagged, and a
 * {@code report.html} with the two runs overlaid.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, showDefaultValues = true,
    description = {
        "Shows two results folders side by side with ratios B/A (below 1: B is lower), the settings that differ, "
            + "and flags (~) the differences smaller than the runs' own spread: the standard deviation of the "
            + "figure's per-second values in each recorded window.",
        "Writes report.html with both runs overlaid to <out>/<UTC time>-<name>/."
    },
    footerHeading = "%nExamples:%n",
    footer = {
        "  load-generator compare results/before results/after",
        "  load-generator compare --name tls-vs-plain results/plain results/tls"})
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The baseline results folder.")
    private Path baseline;

    @Parameters(index = "1", paramLabel = "B", description = "The results folder compared with it.")
    private Path candidate;

    @Option(names = "--out", defaultValue = RunCommand.OUT_DEFAULT,
        description = "Where the comparison's folder goes.")
    private Path out;

    @Option(names = "--name", defaultValue = "compare", description = "Part of the comparison folder's name.")
    private String name;

    @Override
    public Integer call() throws IOException {
        final RunSummary a = load(baseline, "A");
        final RunSummary b = load(candidate, "B");
        final Path dir = ResultsWriter.createRunDirectory(out, name, Instant.now());
        final String title = "Compare: A " + a.text("name") + " vs B " + b.text("name");
        final String report = HtmlReport.page(title, List.of(
            new HtmlReport.Run("A", a, latency(baseline)), new HtmlReport.Run("B", b, latency(candidate))),
            head(a, b));
        Files.writeString(dir.resolve(ResultsWriter.REPORT), report, StandardCharsets.UTF_8);
        final PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(render(a, b));
        stdout.printf(Locale.ROOT, "%n  report: %s%n", dir.resolve(ResultsWriter.REPORT));
        stdout.flush();
        return 0;
    }

    private static Histogram latency(final Path dir) throws IOException {
        final Path hlog = dir.resolve(ResultsWriter.HLOG);
        return Files.isRegularFile(hlog) ? ResultsMerger.total(ResultsMerger.readIntervals(hlog)) : null;
    }

    /** The settings that differ and the comparison table, as HTML for the top of the report. */
    private static String head(final RunSummary a, final RunSummary b) {
        final StringBuilder html = new StringBuilder("<h2 id=\"differences\">What differs</h2>\n");
        final List<String> settings = ReportTables.settingDifferences(List.of(a, b));
        html.append(settings.isEmpty() ? "<p>The settings are the same.</p>\n" : "<p>Settings that differ (A | B):"
            + "</p>\n<ul>" + settings.stream().map(d -> "<li>" + HtmlReport.escape(d) + "</li>").reduce("",
                String::concat) + "</ul>\n");
        html.append("<table><tr><th class=\"k\"></th><th>A</th><th>B</th><th>B/A</th><th>within spread</th></tr>\n");
        for (final Row row : rows(a, b)) {
            html.append(row.withinSpread() ? "<tr class=\"diff\">" : "<tr>").append("<td class=\"k\">")
                .append(HtmlReport.escape(row.label())).append("</td><td>").append(row.kind().format(row.a()))
                .append("</td><td>").append(row.kind().format(row.b())).append("</td><td>")
                .append(Double.isNaN(row.ratio()) ? "-" : String.format(Locale.ROOT, "%.3f", row.ratio()))
                .append("</td><td>").append(row.withinSpread() ? "~ yes: " + row.spreadText() : "")
                .append("</td></tr>\n");
        }
        return html.append("</table>\n<p>~: the difference is smaller than the spread of the figure's per-second "
            + "values inside either run's window (their standard deviation), so it may be noise.</p>\n").toString();
    }

    private RunSummary load(final Path dir, final String label) throws IOException {
        final Path file = dir.resolve(ResultsWriter.SUMMARY);
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                label + " (" + dir + ") has no " + ResultsWriter.SUMMARY + "; give a results folder");
        }
        return RunSummary.read(file);
    }

    /** The rows of a comparison. */
    public static List<Row> rows(final RunSummary a, final RunSummary b) {
        final List<Row> rows = new ArrayList<>();
        for (final String key : RunSummary.PERCENTILE_KEYS) {
            final String series = switch (key) {
                case "p50" -> "p50Micros";
                case "p99" -> "p99Micros";
                case "max" -> "maxMicros";
                default -> null;
            };
            rows.add(new Row("latency " + key, a.number("latencyMicros", key), b.number("latencyMicros", key),
                Kind.MICROS, spread(a, series), spread(b, series)));
        }
        rows.add(new Row("latency mean", a.number("latencyMicros", "mean"), b.number("latencyMicros", "mean"),
            Kind.MICROS));
        rows.add(new Row("quotes/s", a.number("throughput", "quotesPerSecond"),
            b.number("throughput", "quotesPerSecond"), Kind.COUNT, spread(a, "quotesPerSecond"),
            spread(b, "quotesPerSecond")));
        rows.add(new Row("frames/s", a.number("throughput", "framesPerSecond"),
            b.number("throughput", "framesPerSecond"), Kind.COUNT, spread(a, "framesPerSecond"),
            spread(b, "framesPerSecond")));
        rows.add(new Row("bytes/s", a.number("throughput", "bytesPerSecond"),
            b.number("throughput", "bytesPerSecond"), Kind.BYTES));
        rows.add(new Row("quotes/frame", a.number("throughput", "quotesPerFrame"),
            b.number("throughput", "quotesPerFrame"), Kind.DECIMAL));
        rows.add(new Row("delivered", a.number("delivery", "deliveredFraction"),
            b.number("delivery", "deliveredFraction"), Kind.FRACTION));
        rows.add(new Row("conflated", a.number("throughput", "conflated"), b.number("throughput", "conflated"),
            Kind.COUNT));
        rows.add(new Row("connect p99", a.number("connectTimeMicros", "p99"), b.number("connectTimeMicros", "p99"),
            Kind.MICROS));
        rows.add(new Row("connections up (peak)", a.number("connections", "peakUp"),
            b.number("connections", "peakUp"), Kind.COUNT));
        rows.add(new Row("errors", a.number("errors", "total"), b.number("errors", "total"), Kind.COUNT));
        rows.add(new Row("seq violations", a.number("seqViolations"), b.number("seqViolations"), Kind.COUNT));
        return rows;
    }

    /**
     * The standard deviation of a figure's per-second values inside a run's window ({@code runTimeline} points in
     * the recording phase, else the window-only {@code timeSeries}), or NaN with fewer than three seconds.
     */
    public static double spread(final RunSummary s, final String series) {
        if (series == null) {
            return Double.NaN;
        }
        final List<Double> values = new ArrayList<>();
        final double[] all = s.numbers("runTimeline", series);
        if (all.length > 0 && s.value("runTimeline", "phase") instanceof List<?> phases) {
            for (int i = 0; i < Math.min(all.length, phases.size()); i++) {
                if ("recording".equals(String.valueOf(phases.get(i))) && !Double.isNaN(all[i])) {
                    values.add(all[i]);
                }
            }
        } else {
            for (final double v : s.numbers("timeSeries", series)) {
                if (!Double.isNaN(v)) {
                    values.add(v);
                }
            }
        }
        if (values.size() < 3) {
            return Double.NaN;
        }
        final double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        final double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }

    /** The comparison as a text table. */
    public static String render(final RunSummary a, final RunSummary b) {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nA: %s (%s, %s)%nB: %s (%s, %s)%n%n", a.text("name"),
            a.text("startedAt"), a.value("config", "urls"), b.text("name"), b.text("startedAt"),
            b.value("config", "urls")));
        final List<String> settings = ReportTables.settingDifferences(List.of(a, b));
        out.append(settings.isEmpty() ? "  settings: the same\n" : "  settings that differ (A | B):\n");
        settings.forEach(d -> out.append("    ").append(d).append('\n'));
        out.append(String.format(Locale.ROOT, "%n  %-24s%14s%14s%10s%n", "", "A", "B", "B/A"));
        boolean anyWithin = false;
        for (final Row row : rows(a, b)) {
            anyWithin |= row.withinSpread();
            out.append(String.format(Locale.ROOT, "  %-24s%14s%14s%10s%s%n", row.label(), row.kind().format(row.a()),
                row.kind().format(row.b()), Double.isNaN(row.ratio()) ? "-"
                    : String.format(Locale.ROOT, "%.3f", row.ratio()),
                row.withinSpread() ? "  ~ within spread (" + row.spreadText() + ")" : ""));
        }
        if (anyWithin) {
            out.append(String.format(Locale.ROOT, "%n  ~: the difference is smaller than the spread of the figure's "
                + "per-second values inside either run's window (standard deviation): it may be noise%n"));
        }
        if (Boolean.TRUE.equals(a.value("cpu", "saturated")) || Boolean.TRUE.equals(b.value("cpu", "saturated"))) {
            out.append(String.format(Locale.ROOT, "%n  note: a generator was saturated in %s; its figures describe "
                + "the generator, not the server%n", Boolean.TRUE.equals(a.value("cpu", "saturated")) ? "A" : "B"));
        }
        return out.toString();
    }

    /**
     * One line of a comparison.
     *
     * @param label what is compared
     * @param a the baseline's figure
     * @param b the candidate's figure
     * @param kind how to print the figures
     */
    public record Row(String label, double a, double b, Kind kind, double spreadA, double spreadB) {
        /** A row without a per-second spread. */
        public Row(final String label, final double a, final double b, final Kind kind) {
            this(label, a, b, kind, Double.NaN, Double.NaN);
        }

        /** Whether |B - A| is smaller than the larger of the two runs' own spreads. */
        public boolean withinSpread() {
            final double spread = Math.max(Double.isNaN(spreadA) ? 0 : spreadA, Double.isNaN(spreadB) ? 0 : spreadB);
            return spread > 0 && !Double.isNaN(a) && !Double.isNaN(b) && Math.abs(b - a) < spread;
        }

        /** The two spreads as text, e.g. "sd A 1.2ms, B 0.9ms". */
        public String spreadText() {
            return "sd A " + kind.format(spreadA) + ", B " + kind.format(spreadB);
        }

        /** B divided by A; NaN when A is 0 or either is missing. */
        public double ratio() {
            return Double.isNaN(a) || Double.isNaN(b) || a == 0 ? Double.NaN : b / a;
        }
    }

    /** How a figure prints. */
    public enum Kind {
        /** Microseconds. */
        MICROS,
        /** A count or rate. */
        COUNT,
        /** Bytes. */
        BYTES,
        /** A plain decimal. */
        DECIMAL,
        /** A fraction shown as a percentage. */
        FRACTION;

        String format(final double value) {
            if (Double.isNaN(value)) {
                return "-";
            }
            return switch (this) {
                case MICROS -> Micros.text(value);
                case COUNT -> SummaryTable.fmtCount(value);
                case BYTES -> SummaryTable.bytes(value);
                case DECIMAL -> String.format(Locale.ROOT, "%.2f", value);
                case FRACTION -> SummaryTable.percent(value);
            };
        }
    }
}
