package io.ticker.loadgen.report;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code report.html}: one self-contained page (charts are PNGs drawn by XChart and embedded as base64, no scripts,
 * no network) with the latency percentile distribution on a log "nines" axis, throughput and p50/p99 over time, and
 * the tables of the summary.
 */
public final class HtmlReport {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;

    private HtmlReport() {
    }

    /** The page for a run (or a merge) with its window latency histogram. */
    public static String render(final RunSummary s, final Histogram latency) {
        System.setProperty("java.awt.headless", "true");
        final StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Load test ")
            .append(escape(s.text("name"))).append("</title>\n<style>\n")
            .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px;color:#222}")
            .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;")
            .append("text-align:right}th{background:#f4f4f4}td.k,th.k{text-align:left}")
            .append(".bad{color:#b00;font-weight:bold}code,pre{background:#f6f6f6;padding:2px 4px}")
            .append("pre{white-space:pre-wrap;word-break:break-all}img{max-width:100%}\n")
            .append("</style></head><body>\n");
        html.append("<h1>Load test: ").append(escape(s.text("name"))).append("</h1>\n<p>Started ")
            .append(escape(s.text("startedAt"))).append(" against ").append(escape(String.valueOf(
                s.value("config", "urls")))).append(String.format(Locale.ROOT, "; %.1f s recorded.</p>\n",
                s.number("window", "seconds")));
        if (Boolean.TRUE.equals(s.value("cpu", "saturated"))) {
            html.append("<p class=\"bad\">").append(escape(s.text("cpu", "verdict"))).append("</p>\n");
        }
        html.append("<h2>Latency (receive time &minus; ts)</h2>\n<table><tr>");
        for (final String key : RunSummary.PERCENTILE_KEYS) {
            html.append("<th>").append(key).append("</th>");
        }
        html.append("<th>mean</th><th>count</th></tr><tr>");
        for (final String key : RunSummary.PERCENTILE_KEYS) {
            html.append("<td>").append(Micros.text(s.number("latencyMicros", key))).append("</td>");
        }
        html.append("<td>").append(Micros.text(s.number("latencyMicros", "mean"))).append("</td><td>")
            .append(SummaryTable.fmtCount(s.number("latencyMicros", "count"))).append("</td></tr></table>\n");
        image(html, "Latency by percentile", percentileChart(latency, s.text("name")));
        image(html, "Throughput over time", throughputChart(s));
        image(html, "Latency over time", latencyOverTimeChart(s));

        html.append("<h2>Figures</h2>\n<table>\n");
        row(html, "throughput", String.format(Locale.ROOT, "%s quotes/s, %s frames/s, %.2f quotes/frame, %s/s",
            SummaryTable.fmtCount(s.number("throughput", "quotesPerSecond")),
            SummaryTable.fmtCount(s.number("throughput", "framesPerSecond")), s.number("throughput", "quotesPerFrame"),
            SummaryTable.bytes(s.number("throughput", "bytesPerSecond"))));
        row(html, "quotes in window", SummaryTable.fmtCount(s.number("throughput", "quotes")));
        row(html, "snapshots (not in latency)", SummaryTable.fmtCount(s.number("throughput", "snapshots")));
        row(html, "conflated", SummaryTable.fmtCount(s.number("throughput", "conflated")));
        row(html, "connect time p50 / p99 / max", Micros.text(s.number("connectTimeMicros", "p50")) + " / "
            + Micros.text(s.number("connectTimeMicros", "p99")) + " / "
            + Micros.text(s.number("connectTimeMicros", "max")));
        row(html, "connections", String.format(Locale.ROOT, "target %s, peak up %s, failed connects %s, "
                + "disconnects %s, reconnects %s", SummaryTable.fmtCount(s.number("connections", "target")),
            SummaryTable.fmtCount(s.number("connections", "peakUp")),
            SummaryTable.fmtCount(s.number("connections", "connectFailures")),
            SummaryTable.fmtCount(s.number("connections", "disconnects")),
            SummaryTable.fmtCount(s.number("connections", "reconnects"))));
        row(html, "delivery", SummaryTable.delivery(s));
        row(html, "how delivery was computed", s.text("delivery", "explanation"));
        if (s.text("delivery", "warning") != null) {
            row(html, "delivery warning", s.text("delivery", "warning"));
        }
        for (final Object warning : s.value("warnings") instanceof java.util.List<?> list ? list
            : java.util.List.of()) {
            row(html, "warning", String.valueOf(warning));
        }
        row(html, "seq order violations", SummaryTable.fmtCount(s.number("seqViolations")));
        row(html, "errors", SummaryTable.errors(s.section("errors")));
        row(html, "generator CPU", s.text("cpu", "verdict"));
        html.append("</table>\n<h2>Run</h2>\n<table>\n");
        row(html, "command", s.text("command"));
        for (final Map.Entry<String, Object> entry : s.section("config").entrySet()) {
            row(html, entry.getKey(), String.valueOf(entry.getValue()));
        }
        for (final Map.Entry<String, Object> entry : s.section("machine").entrySet()) {
            row(html, "machine " + entry.getKey(), String.valueOf(entry.getValue()));
        }
        html.append("</table>\n<p>Files beside this page: <code>summary.json</code> (every figure), "
            + "<code>latency.hlog</code> (interval histograms in microseconds; HdrHistogram's "
            + "<code>HistogramLogProcessor -outputValueUnitRatio 1000</code> gives milliseconds), "
            + "<code>latency.hgrm</code> (percentile distribution in milliseconds).</p>\n</body></html>\n");
        return html.toString();
    }

    /**
     * Latency against percentile on a "nines" axis: x is log10(1/(1-p)), so that 90%, 99%, 99.9%... are equally
     * spaced and the tail gets the room it deserves. (The log is taken here, on a linear axis, because XChart's own
     * log axis with custom labels walks every tick candidate and takes minutes on long tails.)
     */
    static XYChart percentileChart(final Histogram latency, final String name) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Latency by percentile")
            .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
        style(chart);
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        if (latency.getTotalCount() > 0) {
            for (final HistogramIterationValue value : latency.percentiles(5)) {
                final double p = value.getPercentileLevelIteratedTo() / 100;
                if (p >= 1) {
                    break;
                }
                xs.add(Math.log10(1 / (1 - p)));
                ys.add(value.getValueIteratedTo() / 1000.0);
            }
            // the maximum sits where one sample in the total count would: 1/(1-p) = count
            final double last = xs.isEmpty() ? 0 : xs.get(xs.size() - 1);
            xs.add(Math.max(Math.log10(latency.getTotalCount()), last));
            ys.add(latency.getMaxValue() / 1000.0);
        } else {
            xs.add(0.0);
            ys.add(0.0);
        }
        final double nines = Math.max(2, Math.ceil(xs.get(xs.size() - 1)));
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(nines);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(HtmlReport::ninesLabel);
        final XYSeries series = chart.addSeries(name == null ? "latency" : name, xs, ys);
        series.setMarker(SeriesMarkers.NONE);
        return chart;
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

    private static XYChart throughputChart(final RunSummary s) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Quotes received per second")
            .xAxisTitle("seconds into the window").yAxisTitle("quotes/s").build();
        style(chart);
        addSeries(chart, "quotes/s", s.numbers("timeSeries", "second"), s.numbers("timeSeries", "quotesPerSecond"),
            1);
        return chart;
    }

    private static XYChart latencyOverTimeChart(final RunSummary s) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Latency per second")
            .xAxisTitle("seconds into the window").yAxisTitle("latency (ms)").build();
        style(chart);
        final double[] seconds = s.numbers("timeSeries", "second");
        addSeries(chart, "p50", seconds, s.numbers("timeSeries", "p50Micros"), 1000);
        addSeries(chart, "p99", seconds, s.numbers("timeSeries", "p99Micros"), 1000);
        addSeries(chart, "max", seconds, s.numbers("timeSeries", "maxMicros"), 1000);
        return chart;
    }

    private static void addSeries(final XYChart chart, final String name, final double[] xs, final double[] ys,
        final double divisor) {
        final List<Double> x = new ArrayList<>();
        final List<Double> y = new ArrayList<>();
        for (int i = 0; i < Math.min(xs.length, ys.length); i++) {
            if (!Double.isNaN(ys[i])) {
                x.add(xs[i]);
                y.add(ys[i] / divisor);
            }
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
    }

    private static void style(final XYChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setAntiAlias(true);
    }

    private static void image(final StringBuilder html, final String alt, final XYChart chart) {
        try {
            final byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            html.append("<p><img alt=\"").append(escape(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
        } catch (final IOException | RuntimeException | Error e) {
            // a machine without fonts or AWT (the JDK throws an Error there) still gets the tables
            html.append("<p class=\"bad\">chart '").append(escape(alt)).append("' could not be drawn: ")
                .append(escape(String.valueOf(e))).append("</p>\n");
        }
    }

    private static void row(final StringBuilder html, final String key, final String value) {
        html.append("<tr><td class=\"k\">").append(escape(key)).append("</td><td class=\"k\">")
            .append(escape(value)).append("</td></tr>\n");
    }

    static String escape(final String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
