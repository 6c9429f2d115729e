package io.ticker.loadgen.report;

import io.ticker.protocol.JsonParser;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tables of {@code report.html}: key figures, the server's {@code /metrics} before and after, the settings and
 * the machine, each with one column per run when runs are overlaid. Settings read as a person reads them: durations,
 * sizes in MB, on/off, "none" rather than null.
 */
public final class ReportTables {
    /** The one labelled series shown: summing jvm_memory_used_bytes over its areas would mix heap and non-heap. */
    private static final String HEAP_USED = "jvm_memory_used_bytes{area=\"heap\"}";

    /** Server counters shown before and after, as {@code /metrics} names them, with how a reader calls them. */
    private static final String[][] SERVER_COUNTERS = {
        {"ticker_quotes_published_total", "quotes published"},
        {"ticker_quotes_delivered_total", "quotes delivered (one per subscriber)"},
        {"ticker_quotes_conflated_total", "quotes conflated"},
        {"ticker_frames_sent_total", "frames sent"},
        {"ticker_bytes_sent_total", "bytes sent"},
        {"ticker_errors_total", "errors (all codes)"},
        {"ticker_connections_opened_total", "connections opened"},
        {"ticker_connections_refused_total", "connections refused"},
        {"ticker_stalled_closed_total", "subscribers closed for stalling"},
        {HEAP_USED, "heap used"},
        {"process_cpu_seconds_total", "CPU time (s)"},
    };

    private ReportTables() {
    }

    /** Percentiles, throughput, delivery, connections and errors, one row per run. */
    static String keyFigures(final List<HtmlReport.Run> runs) {
        final StringBuilder html = new StringBuilder("<table><tr><th class=\"k\">run</th>");
        for (final String key : RunSummary.PERCENTILE_KEYS) {
            html.append("<th>").append(key).append("</th>");
        }
        html.append("<th>quotes/s</th><th>frames/s</th><th>delivered</th><th>connect p99</th><th>errors</th>"
            + "<th>seq violations</th></tr>\n");
        for (final HtmlReport.Run run : runs) {
            final RunSummary s = run.summary();
            html.append("<tr><td class=\"k\">").append(HtmlReport.escape(run.label())).append("</td>");
            for (final String key : RunSummary.PERCENTILE_KEYS) {
                html.append("<td>").append(Micros.text(s.number("latencyMicros", key))).append("</td>");
            }
            html.append("<td>").append(SummaryTable.fmtCount(s.number("throughput", "quotesPerSecond")))
                .append("</td><td>").append(SummaryTable.fmtCount(s.number("throughput", "framesPerSecond")))
                .append("</td><td>").append(SummaryTable.percent(s.number("delivery", "deliveredFraction")))
                .append("</td><td>").append(Micros.text(s.number("connectTimeMicros", "p99")))
                .append("</td><td>").append(SummaryTable.fmtCount(s.number("errors", "total")))
                .append("</td><td>").append(SummaryTable.fmtCount(s.number("seqViolations"))).append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (final HtmlReport.Run run : runs) {
            html.append("<p>").append(runs.size() > 1 ? HtmlReport.escape(run.label()) + ": " : "")
                .append(HtmlReport.escape(SummaryTable.delivery(run.summary()))).append("; errors: ")
                .append(HtmlReport.escape(SummaryTable.errors(run.summary().section("errors")))).append("</p>\n");
        }
        return html.toString();
    }

    /** Each server's counters before and after the run, the change, and its CPU when {@code /metrics} has it. */
    static String serverMetrics(final List<HtmlReport.Run> runs) {
        final StringBuilder html = new StringBuilder();
        for (final HtmlReport.Run run : runs) {
            final Map<String, Object> before = run.summary().section("server", "metricsBefore");
            final Map<String, Object> after = run.summary().section("server", "metricsAfter");
            if (before.isEmpty()) {
                html.append("<p>").append(HtmlReport.escape(run.label())).append(": no /metrics captured.</p>\n");
                continue;
            }
            for (final String server : before.keySet()) {
                final Map<String, Double> b = prometheus(before.get(server));
                final Map<String, Double> a = prometheus(after.get(server));
                html.append("<p><b>").append(HtmlReport.escape(runs.size() > 1 ? run.label() + ", " : ""))
                    .append(HtmlReport.escape(server)).append("/metrics</b></p>\n");
                if (b.isEmpty()) {
                    html.append("<p>The server has no /metrics (or it could not be read).</p>\n");
                    continue;
                }
                html.append("<table><tr><th class=\"k\">metric</th><th>before</th><th>after</th><th>change</th>"
                    + "</tr>\n");
                for (final String[] counter : SERVER_COUNTERS) {
                    final Double x = b.get(counter[0]);
                    final Double y = a.get(counter[0]);
                    if (x == null && y == null) {
                        continue;
                    }
                    final boolean bytes = counter[0].endsWith("_bytes") || counter[0].endsWith("bytes_sent_total");
                    html.append("<tr><td class=\"k\">").append(counter[1]).append("</td><td>")
                        .append(metric(x, bytes)).append("</td><td>").append(metric(y, bytes)).append("</td><td>")
                        .append(x == null || y == null ? "-" : metric(y - x, bytes)).append("</td></tr>\n");
                }
                html.append("</table>\n<p>").append(cpu(b, a, run.summary())).append("</p>\n");
            }
        }
        return html.toString();
    }

    private static String cpu(final Map<String, Double> before, final Map<String, Double> after,
        final RunSummary s) {
        final Double x = before.get("process_cpu_seconds_total");
        final Double y = after.get("process_cpu_seconds_total");
        if (x == null || y == null) {
            return "Server CPU: not in this server's /metrics (no process_cpu_seconds_total), so not shown.";
        }
        final double seconds = (y - x);
        final double span = s.numbers("runTimeline", "second").length;
        return String.format(Locale.ROOT, "Server CPU: %.1f s over the run%s.", seconds, span > 0
            ? String.format(Locale.ROOT, " (%.0f%% of one core over %s)", seconds / span * 100,
                HumanText.seconds(span)) : "");
    }

    private static String metric(final Double value, final boolean bytes) {
        if (value == null) {
            return "-";
        }
        return bytes ? HumanText.megabytes(value) : SummaryTable.fmtCount(value);
    }

    /** Prometheus text to a value per metric name, labelled series of one name summed. */
    static Map<String, Double> prometheus(final Object text) {
        final Map<String, Double> out = new LinkedHashMap<>();
        if (!(text instanceof String body)) {
            return out;
        }
        for (final String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            final String series = line.substring(0, space).trim();
            final int brace = series.indexOf('{');
            final String name = brace < 0 ? series : series.substring(0, brace);
            if (series.contains("quantile=")) {
                continue;
            }
            try {
                final double value = Double.parseDouble(line.substring(space + 1).trim());
                out.merge(name, value, Double::sum);
                if (HEAP_USED.equals(series)) {
                    out.put(series, value);
                }
            } catch (final NumberFormatException e) {
                // not a sample line: skipped
            }
        }
        return out;
    }

    /** The settings as rows a person reads, in a stable order; nothing null, durations and sizes in words. */
    public static Map<String, String> settingRows(final RunSummary s) {
        final Map<String, Object> c = s.section("config");
        final Map<String, String> out = new LinkedHashMap<>();
        out.put("servers", listText(c.get("urls")));
        out.put("connections", text(c.get("connections")));
        out.put("ramp-up", text(c.get("rampUp")));
        final boolean firehose = Boolean.TRUE.equals(c.get("firehose"));
        final Object perConnection = c.get("symbolsPerConnection");
        out.put("subscriptions", firehose ? "firehose (every symbol)"
            : perConnection instanceof Number n && n.intValue() == 0 ? "none (idle connections)"
            : text(perConnection) + " symbols each, " + text(c.get("symbolSkew")) + " over " + text(
                c.get("symbolUniverse")));
        out.put("warm-up", text(c.get("warmup")));
        out.put("recorded window", text(c.get("duration")));
        out.put("drain timeout", text(c.get("drainTimeout")));
        out.put("connect timeout", text(c.get("connectTimeout")));
        out.put("subprotocol offered", text(c.get("subprotocol")));
        out.put("compression", text(c.get("compression")));
        out.put("reconnect", text(c.get("reconnect")));
        out.put("delivery observer", text(c.get("observer")));
        out.put("slow subscribers", text(c.get("slowClients")));
        out.put("I/O", text(c.get("eventLoops")) + " event loops, " + text(c.get("transport")));
        out.put("seed", text(c.get("seed")));
        out.put("assert p99 at most", text(c.get("assertP99")));
        out.put("assert delivered at least", c.get("assertDelivered") instanceof Number n
            ? SummaryTable.percent(n.doubleValue()) : "none");
        return out;
    }

    /** One column per run; with several, the rows that differ are marked. */
    static String settings(final List<HtmlReport.Run> runs) {
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final HtmlReport.Run run : runs) {
            rows.add(settingRows(run.summary()));
        }
        return table(runs, rows);
    }

    /** The settings that differ between the runs, as "name: a | b" lines; empty when they are alike. */
    public static List<String> settingDifferences(final List<RunSummary> runs) {
        final List<Map<String, String>> rows = runs.stream().map(ReportTables::settingRows).toList();
        final List<String> out = new ArrayList<>();
        for (final String key : rows.get(0).keySet()) {
            final Set<String> values = new LinkedHashSet<>();
            rows.forEach(r -> values.add(r.get(key)));
            if (values.size() > 1) {
                out.add(key + ": " + String.join(" | ", rows.stream().map(r -> r.get(key)).toList()));
            }
        }
        return out;
    }

    /** Cores, memory in MB, OS and JVM; the command of each run. */
    static String machine(final List<HtmlReport.Run> runs) {
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final HtmlReport.Run run : runs) {
            final Map<String, Object> m = run.summary().section("machine");
            final Map<String, String> row = new LinkedHashMap<>();
            row.put("host", text(m.get("hostname")));
            row.put("cores", text(m.get("cores")));
            row.put("memory", m.get("memoryBytes") instanceof Number n ? HumanText.megabytes(n.doubleValue()) : "-");
            row.put("OS", text(m.get("os")) + " " + text(m.get("arch")));
            row.put("JVM", text(m.get("jvm")));
            row.put("generator heap (max)", m.get("maxHeapBytes") instanceof Number n
                ? HumanText.megabytes(n.doubleValue()) : "-");
            row.put("open-files limit", text(m.get("openFilesLimit")));
            rows.add(row);
        }
        final StringBuilder html = new StringBuilder(table(runs, rows));
        for (final HtmlReport.Run run : runs) {
            html.append("<p>").append(runs.size() > 1 ? HtmlReport.escape(run.label()) + ": " : "")
                .append("<code>").append(HtmlReport.escape(run.summary().text("command"))).append("</code></p>\n");
        }
        return html.toString();
    }

    private static String table(final List<HtmlReport.Run> runs, final List<Map<String, String>> rows) {
        final StringBuilder html = new StringBuilder("<table>");
        if (runs.size() > 1) {
            html.append("<tr><th class=\"k\"></th>");
            runs.forEach(r -> html.append("<th>").append(HtmlReport.escape(r.label())).append("</th>"));
            html.append("</tr>");
        }
        html.append('\n');
        for (final String key : rows.get(0).keySet()) {
            final Set<String> values = new LinkedHashSet<>();
            rows.forEach(r -> values.add(r.get(key)));
            html.append(values.size() > 1 ? "<tr class=\"diff\">" : "<tr>").append("<td class=\"k\">")
                .append(HtmlReport.escape(key)).append("</td>");
            rows.forEach(r -> html.append("<td>").append(HtmlReport.escape(r.get(key))).append("</td>"));
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    /** A value as text: booleans as on/off, null as none, lists joined. */
    static String text(final Object value) {
        if (value == null || value == JsonParser.NULL) {
            return "none";
        }
        if (value instanceof Boolean b) {
            return b ? "on" : "off";
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return String.format(Locale.ROOT, "%d", d.longValue());
        }
        if (value instanceof BigDecimal d) {
            return d.stripTrailingZeros().toPlainString();
        }
        if (value instanceof List<?> list) {
            return listText(list);
        }
        return value.toString();
    }

    static String listText(final Object value) {
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(ReportTables::text).toList());
        }
        return text(value);
    }
}
