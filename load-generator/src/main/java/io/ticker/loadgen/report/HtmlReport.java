package io.ticker.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * {@code report.html}: one self-contained page that opens offline (inline SVG drawn by {@link SvgChart}, one small
 * inline script for hovering, no network). From the top: every warning the console printed, the key figures, the
 * whole run as a timeline with its phases marked (connections and connects, quotes/s, frames/s, latency per second,
 * errors per second by kind, the generator's CPU), the latency and connect-time distributions, the server's
 * {@code /metrics} before and after, and the settings as a person reads them. {@code compare} and {@code merge} draw
 * the same page with their runs overlaid.
 */
public final class HtmlReport {
    private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:1.5em;max-width:1000px;"
        + "color:#222}"
        + "h2{margin-top:1.6em;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:.6em 0}"
        + "td,th{border:1px solid #ccc;padding:2px 7px;text-align:right;font-size:13px}th{background:#f4f4f4}"
        + "td.k,th.k{text-align:left}tr.diff td{background:#fff3cd}"
        + ".warn{background:#fdecea;border:1px solid #e0a0a0;padding:.5em 1em;margin:.4em 0}"
        + ".ok{background:#eaf6ea;border:1px solid #a0d0a0;padding:.5em 1em}"
        + "code,pre{background:#f6f6f6;padding:2px 4px}pre{white-space:pre-wrap;word-break:break-all}"
        + "figure.chart{position:relative;margin:.8em 0}figcaption{font-weight:600}"
        + ".note{font-weight:400;color:#666}svg{width:100%;height:auto;background:#fff}.axis{stroke:#444}"
        + ".grid{stroke:#eee}.ytick{font-size:11px;text-anchor:end}.xtick{font-size:11px;text-anchor:middle}"
        + ".xlabel{font-size:12px;text-anchor:middle}.legend{font-size:12px}.band{font-size:10px;fill:#555}"
        + ".tip{display:none;position:absolute;background:#fff;border:1px solid #999;padding:4px 8px;"
        + "font-size:12px;pointer-events:none;white-space:nowrap;box-shadow:2px 2px 6px #0002}";
    private static final double NINES_MAX = 5;

    /**
     * One run on a page.
     *
     * @param label how the page names it (A, B, a folder)
     * @param summary its summary
     * @param latency its window's latency histogram
     */
    public record Run(String label, RunSummary summary, Histogram latency) {
    }

    private HtmlReport() {
    }

    /** The page of one run (or of a merge without its inputs). */
    public static String render(final RunSummary s, final Histogram latency) {
        return page("Load test: " + s.text("name"), List.of(new Run(s.text("name"), s, latency)), "");
    }

    /**
     * A page for several runs overlaid ({@code compare}, {@code merge}).
     *
     * @param head HTML placed after the warnings (the comparison table, the settings that differ)
     */
    public static String page(final String title, final List<Run> runs, final String head) {
        final StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n<h1>")
            .append(escape(title)).append("</h1>\n");
        for (final Run run : runs) {
            final RunSummary s = run.summary();
            html.append("<p>").append(runs.size() > 1 ? "<b>" + escape(run.label()) + "</b> (" + escape(s.text("name"))
                    + "): " : "")
                .append("started ").append(escape(s.text("startedAt"))).append(" against ")
                .append(escape(ReportTables.listText(s.value("config", "urls")))).append("; ")
                .append(HumanText.seconds(s.number("window", "seconds"))).append(" recorded")
                .append(Boolean.TRUE.equals(s.value("stoppedEarly")) ? " (stopped early)" : "").append(".</p>\n");
        }
        warnings(html, runs);
        html.append(head);
        html.append("<h2 id=\"figures\">Key figures</h2>\n").append(ReportTables.keyFigures(runs));
        html.append("<h2 id=\"timeline\">The whole run</h2>\n<p>Seconds since each run started. Shaded: ramp-up, "
            + "warm-up, the recorded window, the drain. Hover over a chart to read its values.</p>\n");
        timeline(html, runs);
        html.append("<h2 id=\"distributions\">Distributions (recorded window)</h2>\n");
        html.append(percentiles("Latency by percentile (receive time − ts)", runs, true).render());
        html.append(percentiles("Connect time by percentile (TCP connect to the 101 handled)", runs, false)
            .render());
        html.append("<h2 id=\"server\">The server</h2>\n").append(ReportTables.serverMetrics(runs));
        html.append("<h2 id=\"settings\">Settings</h2>\n").append(ReportTables.settings(runs));
        html.append("<h2 id=\"machine\">Machine and command</h2>\n").append(ReportTables.machine(runs));
        html.append("<script>").append(SvgChart.HOVER_SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    /** Every warning of every run, at the top; a green line when there is none. */
    private static void warnings(final StringBuilder html, final List<Run> runs) {
        final List<String> all = new ArrayList<>();
        for (final Run run : runs) {
            final String who = runs.size() > 1 ? run.label() + ": " : "";
            final RunSummary s = run.summary();
            if (s.value("warnings") instanceof List<?> list) {
                list.forEach(w -> all.add(who + w));
            }
            if (Boolean.TRUE.equals(s.value("cpu", "saturated"))) {
                all.add(who + "GENERATOR SATURATED: " + s.text("cpu", "verdict"));
            }
            if (s.text("cpu", "machineNote") != null) {
                all.add(who + s.text("cpu", "machineNote"));
            }
            if ("unknown".equals(s.text("delivery", "method"))) {
                all.add(who + "delivery unknown: " + s.text("delivery", "explanation"));
            }
            if (s.text("delivery", "warning") != null) {
                all.add(who + s.text("delivery", "warning"));
            }
            if (s.text("connections", "subprotocolNote") != null) {
                all.add(who + s.text("connections", "subprotocolNote"));
            }
            if (Boolean.TRUE.equals(s.value("stoppedEarly"))) {
                all.add(who + "stopped early (Ctrl-C): the window is shorter than asked");
            }
        }
        if (all.isEmpty()) {
            html.append("<p class=\"ok\">No warnings: the generator was not saturated, delivery was measured.</p>\n");
            return;
        }
        for (final String warning : all) {
            html.append("<div class=\"warn\">WARNING: ").append(escape(warning)).append("</div>\n");
        }
    }

    private static void timeline(final StringBuilder html, final List<Run> runs) {
        final boolean one = runs.size() == 1;
        final SvgChart connections = chart("Connections up, and connect attempts and failures per second");
        final SvgChart quotes = chart("Quotes per second (live quotes received, every phase)");
        final SvgChart frames = chart("Frames per second");
        final SvgChart latency = new SvgChart("Latency per second: p50, p99, max (log scale)", "seconds since start",
            SvgChart.Axis.LINEAR, HumanText::seconds, SvgChart.Axis.LOG, Micros::text);
        final SvgChart errors = chart("Errors per second, by kind");
        final SvgChart cpu = new SvgChart("Generator CPU (share of the machine)", "seconds since start",
            SvgChart.Axis.LINEAR, HumanText::seconds, SvgChart.Axis.LINEAR,
            v -> String.format(Locale.ROOT, "%.0f%%", v * 100));
        int colour = 0;
        for (final Run run : runs) {
            final RunSummary s = run.summary();
            final String p = one ? "" : run.label() + " ";
            final double[] t = s.numbers("runTimeline", "second");
            if (t == null || t.length == 0) {
                continue;
            }
            if (one) {
                bands(s, connections, quotes, frames, latency, errors, cpu);
            }
            final String c0 = SvgChart.COLOURS[colour++ % SvgChart.COLOURS.length];
            connections.line(p + "up", t, s.numbers("runTimeline", "connectionsUp"), c0, false);
            connections.line(p + "attempts/s", t, s.numbers("runTimeline", "connectAttemptsPerSecond"),
                one ? SvgChart.COLOURS[2] : c0, true);
            connections.line(p + "failures/s", t, s.numbers("runTimeline", "connectFailuresPerSecond"),
                one ? SvgChart.COLOURS[1] : c0, !one);
            quotes.line(p + "quotes/s", t, s.numbers("runTimeline", "quotesPerSecond"), c0, false);
            frames.line(p + "frames/s", t, s.numbers("runTimeline", "framesPerSecond"), c0, false);
            latency.line(p + "p50", t, s.numbers("runTimeline", "p50Micros"), one ? SvgChart.COLOURS[0] : c0, !one);
            latency.line(p + "p99", t, s.numbers("runTimeline", "p99Micros"), one ? SvgChart.COLOURS[1] : c0, false);
            latency.line(p + "max", t, s.numbers("runTimeline", "maxMicros"), one ? SvgChart.COLOURS[7] : c0, true);
            cpu.line(p + "process", t, s.numbers("runTimeline", "processCpuShare"), c0, false);
            for (final String kind : s.section("runTimeline", "errorsPerSecond").keySet()) {
                errors.line(p + kind, t, s.numbers("runTimeline", "errorsPerSecond", kind));
            }
        }
        if (quotes.isEmpty()) {
            html.append("<p>These runs have no per-second timeline (made by an older load generator, or merged).</p>");
            return;
        }
        for (final SvgChart chart : new SvgChart[] {connections, quotes, frames, latency, errors, cpu}) {
            if (chart == errors && errors.isEmpty()) {
                html.append("<p><b>Errors per second, by kind</b>: none, in any second.</p>\n");
            } else {
                html.append(chart.render());
            }
        }
    }

    private static SvgChart chart(final String title) {
        return new SvgChart(title, "seconds since start", SvgChart.Axis.LINEAR, HumanText::seconds,
            SvgChart.Axis.LINEAR, v -> SummaryTable.fmtCount(v));
    }

    private static void bands(final RunSummary s, final SvgChart... charts) {
        final double rampEnd = s.number("runTimeline", "phases", "rampUpEnd");
        final double windowStart = s.number("runTimeline", "phases", "windowStart");
        final double windowEnd = s.number("runTimeline", "phases", "windowEnd");
        final double end = s.number("runTimeline", "phases", "end");
        for (final SvgChart chart : charts) {
            chart.band(0, rampEnd, "ramp-up", "#cfe2f3").band(rampEnd, windowStart, "warm-up", "#fce5cd")
                .band(windowStart, windowEnd, "recorded window", "#d9ead3").band(windowEnd, end, "drain", "#eeeeee");
        }
    }

    /** Percentile plots over the nines axis to 99.999%; latency from the window, connect time from the summary. */
    private static SvgChart percentiles(final String title, final List<Run> runs, final boolean latency) {
        final SvgChart chart = new SvgChart(title, "percentile", SvgChart.Axis.NINES, HtmlReport::percentileText,
            SvgChart.Axis.LINEAR, Micros::text);
        for (final Run run : runs) {
            Histogram histogram = latency ? run.latency() : null;
            if (!latency && run.summary().text("connectTimeHistogram") != null) {
                histogram = HistogramCodec.decode(run.summary().text("connectTimeHistogram"));
            }
            if (histogram == null || histogram.getTotalCount() == 0) {
                continue;
            }
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (final HistogramIterationValue value : histogram.percentiles(5)) {
                final double p = value.getPercentileLevelIteratedTo() / 100;
                final double x = p >= 1 ? NINES_MAX : Math.log10(1 / (1 - p));
                if (x > NINES_MAX) {
                    break;
                }
                xs.add(x);
                ys.add((double) histogram.highestEquivalentValue(value.getValueIteratedTo()));
            }
            // the maximum sits where one sample in the total count would: 1/(1-p) = count
            xs.add(Math.min(NINES_MAX, Math.max(Math.log10(histogram.getTotalCount()), xs.get(xs.size() - 1))));
            ys.add((double) histogram.getMaxValue());
            chart.line(runs.size() > 1 ? run.label() : latency ? "latency" : "connect time",
                xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
        }
        if (chart.isEmpty()) {
            chart.note("nothing recorded");
        }
        return chart;
    }

    /** The percentile at x = log10(1/(1-p)), e.g. {@code 99.9%}. */
    static String percentileText(final double x) {
        final double p = (1 - Math.pow(10, -x)) * 100;
        final int decimals = Math.max(0, Math.min(4, (int) Math.ceil(x) - 2));
        return String.format(Locale.ROOT, "%." + decimals + "f%%", p);
    }

    /** Axis label for x = log10(1/(1-p)): 0 is 0%, 1 is 90%, 2 is 99%, 3 is 99.9%; between whole nines, none. */
    static String ninesLabel(final Double x) {
        if (x == null || x < 0 || Math.abs(x - Math.rint(x)) > 1e-6) {
            return "";
        }
        final int nines = (int) Math.rint(x);
        if (nines == 0) {
            return "0%";
        }
        if (nines <= 2) {
            return nines == 1 ? "90%" : "99%";
        }
        return "99." + "9".repeat(nines - 2) + "%";
    }

    /** Text made safe inside HTML, attributes included; null as empty. */
    public static String escape(final String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
