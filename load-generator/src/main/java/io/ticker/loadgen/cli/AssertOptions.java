package io.ticker.loadgen.cli;

import io.ticker.loadgen.report.Micros;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.report.SummaryTable;
import io.ticker.protocol.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --assert-*} flags of {@code run}, a picocli mixin: thresholds a run must meet to exit 0 (CI gates), and
 * how a finished run's summary is judged against them.
 */
final class AssertOptions {
    @Option(names = "--assert-p99", paramLabel = "DURATION",
        description = "Exit 1 when the recorded p99 latency is above this (for CI gates).")
    Duration p99;

    @Option(names = "--assert-delivered", paramLabel = "FRACTION",
        description = "Exit 1 when the delivered fraction (received + conflated) / expected is below this, e.g. "
            + "0.999.")
    Double delivered;

    /** The delivered threshold as {@code RunSettings} holds it: NaN when none was given. */
    double deliveredOrNaN() {
        return delivered == null ? Double.NaN : delivered;
    }

    /** Each threshold given, with whether {@code summary} met it, as {@code summary.json} records them. */
    static List<Map<String, Object>> judge(final Duration assertP99, final double assertDelivered,
        final RunSummary summary) {
        final List<Map<String, Object>> out = new ArrayList<>();
        if (assertP99 != null) {
            final double limitMicros = assertP99.toNanos() / 1_000.0;
            final double p99 = summary.number("latencyMicros", "p99");
            final boolean passed = !Double.isNaN(p99) && p99 <= limitMicros;
            out.add(assertion("--assert-p99", DurationText.format(assertP99), passed,
                Double.isNaN(p99) ? "no latency was recorded"
                    : "p99 " + Micros.text(p99) + (passed ? " <= " : " > ") + Micros.text(limitMicros)));
        }
        if (!Double.isNaN(assertDelivered)) {
            final double delivered = summary.number("delivery", "deliveredFraction");
            final boolean passed = !Double.isNaN(delivered) && delivered >= assertDelivered;
            out.add(assertion("--assert-delivered", assertDelivered, passed,
                Double.isNaN(delivered) ? "the delivered fraction is unknown ("
                    + summary.text("delivery", "explanation") + ")"
                    : "delivered " + SummaryTable.percent(delivered) + (passed ? " >= " : " < ")
                        + SummaryTable.percent(assertDelivered)));
        }
        return out;
    }

    private static Map<String, Object> assertion(final String flag, final Object threshold, final boolean passed,
        final String detail) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("flag", flag);
        out.put("threshold", threshold);
        out.put("passed", passed);
        out.put("detail", detail);
        return out;
    }
}
