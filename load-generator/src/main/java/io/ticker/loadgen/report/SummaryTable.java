package io.ticker.loadgen.report;

import java.util.Locale;
import java.util.Map;

/** The final table a person reads, from a {@link RunSummary}; the same for {@code run} and {@code merge}. */
public final class SummaryTable {
    private SummaryTable() {
    }

    /** The table as text, lines ending in {@code %n}. */
    public static String render(final RunSummary s, final String directory) {
        final StringBuilder out = new StringBuilder();
        final double window = s.number("window", "seconds");
        out.append(String.format(Locale.ROOT, "%nRun '%s' against %s%n", s.text("name"),
            s.value("config", "urls")));
        out.append(String.format(Locale.ROOT, "  %.1f s recorded after a %s warm-up; %s connections, %s%n", window,
            s.text("config", "warmup"), fmtCount(s.number("config", "connections")),
            Boolean.parseBoolean(s.text("config", "firehose")) ? "firehose"
                : s.number("config", "symbolsPerConnection") == 0 ? "idle (no subscriptions)"
                : fmtCount(s.number("config", "symbolsPerConnection")) + " symbols each ("
                    + s.text("config", "symbolSkew") + ")"));
        out.append(String.format(Locale.ROOT, "%n  %-26s", "latency (receive - ts)"));
        for (final String key : RunSummary.PERCENTILE_KEYS) {
            out.append(String.format(Locale.ROOT, "%10s", key));
        }
        out.append(String.format(Locale.ROOT, "%10s%n  %-26s", "mean", ""));
        for (final String key : RunSummary.PERCENTILE_KEYS) {
            out.append(String.format(Locale.ROOT, "%10s", Micros.text(s.number("latencyMicros", key))));
        }
        out.append(String.format(Locale.ROOT, "%10s%n", Micros.text(s.number("latencyMicros", "mean"))));
        out.append(String.format(Locale.ROOT, "  %-26s%10s%10s%10s%10s   (%s connects)%n", "connect (TCP+upgrade)",
            Micros.text(s.number("connectTimeMicros", "p50")), Micros.text(s.number("connectTimeMicros", "p90")),
            Micros.text(s.number("connectTimeMicros", "p99")), Micros.text(s.number("connectTimeMicros", "max")),
            fmtCount(s.number("connectTimeMicros", "count"))));
        if (!Double.isNaN(s.number("upgradeTimeMicros", "count"))) {
            out.append(String.format(Locale.ROOT, "  %-26s%10s%10s%10s%10s   (%s/s during the ramp-up)%n",
                "upgrade (handshake alone)", Micros.text(s.number("upgradeTimeMicros", "p50")),
                Micros.text(s.number("upgradeTimeMicros", "p90")), Micros.text(s.number("upgradeTimeMicros", "p99")),
                Micros.text(s.number("upgradeTimeMicros", "max")),
                fmtCount(s.number("connections", "connectsPerSecond"))));
        }
        out.append(String.format(Locale.ROOT, "%n  %-26s%s quotes (%s/s), %s frames (%s/s), %.2f quotes/frame, "
                + "%s (%s/s)%n", "throughput",
            fmtCount(s.number("throughput", "quotes")), fmtCount(s.number("throughput", "quotesPerSecond")),
            fmtCount(s.number("throughput", "frames")), fmtCount(s.number("throughput", "framesPerSecond")),
            s.number("throughput", "quotesPerFrame"), bytes(s.number("throughput", "bytes")),
            bytes(s.number("throughput", "bytesPerSecond"))));
        out.append(String.format(Locale.ROOT, "  %-26s%s snapshots (not in latency), %s conflated%n", "",
            fmtCount(s.number("throughput", "snapshots")), fmtCount(s.number("throughput", "conflated"))));
        out.append(String.format(Locale.ROOT, "  %-26starget %s, peak up %s, up at end %s, failed connects %s, "
                + "disconnects %s, reconnects %s%n", "connections",
            fmtCount(s.number("connections", "target")), fmtCount(s.number("connections", "peakUp")),
            fmtCount(s.number("connections", "upAtEnd")), fmtCount(s.number("connections", "connectFailures")),
            fmtCount(s.number("connections", "disconnects")), fmtCount(s.number("connections", "reconnects"))));
        if (s.text("connections", "subprotocolNote") != null) {
            out.append(String.format(Locale.ROOT, "  %-26s%s%n", "subprotocol", s.text("connections",
                "subprotocolNote")));
        }
        if (s.number("resume", "asked") > 0 || s.number("resume", "replayedQuotes") > 0) {
            out.append(String.format(Locale.ROOT, "  %-26s%s asked: %s recovered, %s not %s; %s quotes replayed%n",
                "resume (since)", fmtCount(s.number("resume", "asked")), fmtCount(s.number("resume", "recovered")),
                fmtCount(s.number("resume", "notRecovered")), s.value("resume", "notRecoveredByReason"),
                fmtCount(s.number("resume", "replayedQuotes"))));
        }
        out.append(String.format(Locale.ROOT, "  %-26s%s%n", "delivery", delivery(s)));
        if (s.text("delivery", "warning") != null) {
            out.append(String.format(Locale.ROOT, "  %-26sWARNING: %s%n", "", s.text("delivery", "warning")));
        }
        out.append(String.format(Locale.ROOT, "  %-26s%s violations%n", "seq order",
            fmtCount(s.number("seqViolations"))));
        if (s.number("feedResets", "resets") > 0) {
            out.append(String.format(Locale.ROOT, "  %-26s%s (epochs %s; seq order starts over at each)%n",
                "feed resets", fmtCount(s.number("feedResets", "resets")), s.value("feedResets", "epochs")));
        }
        for (final String group : new String[] {"healthy", "slow"}) {
            if (!Double.isNaN(s.number("subscriberGroups", group, "subscribers"))) {
                out.append(String.format(Locale.ROOT, "  %-26s%s subscribers: p99 %s, max %s, delivered %s, "
                        + "not received as themselves %s, conflated %s (most on one %s), seq violations %s%n",
                    group + " subscribers", fmtCount(s.number("subscriberGroups", group, "subscribers")),
                    Micros.text(s.number("subscriberGroups", group, "latencyMicros", "p99")),
                    Micros.text(s.number("subscriberGroups", group, "latencyMicros", "max")),
                    percent(s.number("subscriberGroups", group, "delivery", "deliveredFraction")),
                    fmtCount(s.number("subscriberGroups", group, "notReceived")),
                    fmtCount(s.number("subscriberGroups", group, "delivery", "conflated")),
                    fmtCount(s.number("subscriberGroups", group, "conflatedMaxPerSubscriber")),
                    fmtCount(s.number("subscriberGroups", group, "seqViolations"))));
            }
        }
        out.append(String.format(Locale.ROOT, "  %-26s%s%n", "errors", errors(s.section("errors"))));
        out.append(String.format(Locale.ROOT, "  %-26s%s%n", "generator cpu", s.text("cpu", "verdict")));
        if (s.text("cpu", "machineNote") != null) {
            out.append(String.format(Locale.ROOT, "  %-26s%s%n", "", s.text("cpu", "machineNote")));
        }
        if (s.value("warnings") instanceof java.util.List<?> warnings) {
            for (final Object warning : warnings) {
                out.append(String.format(Locale.ROOT, "  %-26sWARNING: %s%n", "", warning));
            }
        }
        if (directory != null) {
            out.append(String.format(Locale.ROOT, "  %-26s%s%n", "results", directory));
        }
        return out.toString();
    }

    static String delivery(final RunSummary s) {
        final double delivered = s.number("delivery", "deliveredFraction");
        if (Double.isNaN(delivered)) {
            return "expected unknown; received "
                + fmtCount(s.number("delivery", "received")) + ", conflated "
                + fmtCount(s.number("delivery", "conflated"));
        }
        final StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
            "delivered %s (received %s + conflated %s of %s expected; received alone %s)",
            percent(delivered), fmtCount(s.number("delivery", "received")),
            fmtCount(s.number("delivery", "conflated")), fmtCount(s.number("delivery", "expected")),
            percent(s.number("delivery", "receivedFraction"))));
        final double min = s.number("delivery", "perSubscriberDeliveredFraction", "min");
        if (!Double.isNaN(min)) {
            out.append("; per subscriber min ").append(percent(min));
            final double median = s.number("delivery", "perSubscriberDeliveredFraction", "median");
            if (!Double.isNaN(median)) {
                out.append(", median ").append(percent(median));
            }
        }
        final double lost = s.number("delivery", "lost");
        if (!Double.isNaN(lost)) {
            out.append(String.format(Locale.ROOT, "; lost %s (%s, on %s subscribers)", fmtCount(lost),
                percent(s.number("delivery", "lostFraction")), fmtCount(s.number("delivery", "subscribersWithLoss"))));
        }
        return out.append(" [").append(s.text("delivery", "method")).append(']').toString();
    }

    static String errors(final Map<String, Object> errors) {
        final Object total = errors.get("total");
        if (!(total instanceof Number n) || n.longValue() == 0) {
            return "none";
        }
        final StringBuilder out = new StringBuilder(fmtCount(n.doubleValue())).append(':');
        errors.forEach((kind, count) -> {
            if (!"total".equals(kind)) {
                out.append(' ').append(kind).append('=').append(count);
            }
        });
        return out.toString();
    }

    /** A fraction as a percentage with two decimals. */
    public static String percent(final double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    /** A count or rate with thousands separators. */
    public static String fmtCount(final double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /** A byte count in B, KB, MB or GB. */
    public static String bytes(final double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (value >= 1e9) {
            return String.format(Locale.ROOT, "%.2f GB", value / 1e9);
        }
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB", value / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kB", value / 1e3);
    }
}
