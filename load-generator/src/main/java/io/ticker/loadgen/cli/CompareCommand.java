package io.ticker.loadgen.cli;

import io.ticker.loadgen.report.Micros;
import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.report.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code compare A B}: two runs side by side, percentiles and throughput, with the ratio B/A. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Shows two results folders side by side with ratios B/A (below 1: B is lower).")
public final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "The baseline results folder.")
    private Path baseline;

    @Parameters(index = "1", paramLabel = "B", description = "The results folder compared with it.")
    private Path candidate;

    @Override
    public Integer call() throws IOException {
        final RunSummary a = load(baseline, "A");
        final RunSummary b = load(candidate, "B");
        final PrintWriter out = spec.commandLine().getOut();
        out.print(render(a, b));
        out.flush();
        return 0;
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
            rows.add(new Row("latency " + key, a.number("latencyMicros", key), b.number("latencyMicros", key),
                Kind.MICROS));
        }
        rows.add(new Row("latency mean", a.number("latencyMicros", "mean"), b.number("latencyMicros", "mean"),
            Kind.MICROS));
        rows.add(new Row("quotes/s", a.number("throughput", "quotesPerSecond"),
            b.number("throughput", "quotesPerSecond"), Kind.COUNT));
        rows.add(new Row("frames/s", a.number("throughput", "framesPerSecond"),
            b.number("throughput", "framesPerSecond"), Kind.COUNT));
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

    /** The comparison as a text table. */
    public static String render(final RunSummary a, final RunSummary b) {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nA: %s (%s, %s)%nB: %s (%s, %s)%n%n", a.text("name"),
            a.text("startedAt"), a.value("config", "urls"), b.text("name"), b.text("startedAt"),
            b.value("config", "urls")));
        out.append(String.format(Locale.ROOT, "  %-24s%14s%14s%10s%n", "", "A", "B", "B/A"));
        for (final Row row : rows(a, b)) {
            out.append(String.format(Locale.ROOT, "  %-24s%14s%14s%10s%n", row.label(), row.kind().format(row.a()),
                row.kind().format(row.b()), Double.isNaN(row.ratio()) ? "-"
                    : String.format(Locale.ROOT, "%.3f", row.ratio())));
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
    public record Row(String label, double a, double b, Kind kind) {
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
