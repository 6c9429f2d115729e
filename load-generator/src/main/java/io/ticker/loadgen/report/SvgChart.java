package io.ticker.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One chart of {@code report.html} as inline SVG, drawn here rather than by a charting library so that the page needs
 * no script from anywhere and no library bundled into it: lines over a linear axis from zero (where a reader compares
 * heights), a log axis (latency over time) or the "nines" axis of a percentile plot, shaded bands for the run's
 * phases, and the points' values as data for {@link #HOVER_SCRIPT}, which shows them under the pointer.
 */
final class SvgChart {
    /** The few lines of script every page carries once: a vertical rule and the nearest point of each series. */
    static final String HOVER_SCRIPT = """
        document.querySelectorAll('figure.chart').forEach(function (fig) {
          var svg = fig.querySelector('svg'), tip = fig.querySelector('.tip');
          var data = JSON.parse(fig.querySelector('script').textContent);
          var rule = svg.querySelector('.rule'), dots = svg.querySelector('.dots');
          svg.addEventListener('mousemove', function (e) {
            var box = svg.getBoundingClientRect(), x = (e.clientX - box.left) * data.w / box.width;
            if (x < data.l || x > data.w - data.r) { tip.style.display = 'none'; rule.setAttribute('x1', -9);
              rule.setAttribute('x2', -9); dots.innerHTML = ''; return; }
            var lines = [], marks = '';
            data.s.forEach(function (s) {
              var best = null;
              s.p.forEach(function (p) { if (best === null || Math.abs(p[0] - x) < Math.abs(best[0] - x)) best = p; });
              if (best !== null) { lines.push('<span style="color:' + s.c + '">\\u25CF</span> ' + s.n + ': ' + best[2]);
                marks += '<circle cx="' + best[0] + '" cy="' + best[1] + '" r="3.5" fill="' + s.c + '"/>'; }
            });
            rule.setAttribute('x1', x); rule.setAttribute('x2', x); dots.innerHTML = marks;
            tip.innerHTML = lines.join('<br>'); tip.style.display = 'block';
            tip.style.left = Math.min(e.clientX - box.left + 14, box.width - 260) + 'px';
            tip.style.top = (e.clientY - box.top + 10) + 'px';
          });
          svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; dots.innerHTML = ''; });
        });
        """;
    static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
        "#17becf", "#7f7f7f", "#bcbd22"};

    private static final int WIDTH = 960;
    private static final int HEIGHT = 260;
    private static final int LEFT = 72;
    private static final int RIGHT = 16;
    private static final int LEGEND_ROW = 14;
    private static final int BOTTOM = 38;
    private static final double NINES_MAX = 5;

    /** How an axis is laid out. */
    enum Axis {
        /** Linear from zero. */
        LINEAR,
        /** Decades, for values that span orders of magnitude. */
        LOG,
        /** Percentiles as nines: 0 is 0%, 1 is 90%, 2 is 99% ... 5 is 99.999%. */
        NINES
    }

    private record Series(String name, double[] x, double[] y, String colour, boolean dashed) {
    }

    private record Band(double from, double to, String label, String colour) {
    }

    private final String title;
    private final String xLabel;
    private final Axis xAxis;
    private final Axis yAxis;
    private final DoubleFunction<String> xText;
    private final DoubleFunction<String> yText;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private String note;
    private int top = 2 * LEGEND_ROW;

    SvgChart(final String title, final String xLabel, final Axis xAxis, final DoubleFunction<String> xText,
        final Axis yAxis, final DoubleFunction<String> yText) {
        this.title = title;
        this.xLabel = xLabel;
        this.xAxis = xAxis;
        this.xText = xText;
        this.yAxis = yAxis;
        this.yText = yText;
    }

    /** A line; NaN values leave gaps. Colours go round the palette unless given. */
    SvgChart line(final String name, final double[] x, final double[] y) {
        return line(name, x, y, COLOURS[series.size() % COLOURS.length], false);
    }

    SvgChart line(final String name, final double[] x, final double[] y, final String colour, final boolean dashed) {
        if (x != null && y != null && x.length > 0) {
            series.add(new Series(name, x, y, colour, dashed));
        }
        return this;
    }

    /** A shaded span of the x axis, labelled at its top (the run's phases). */
    SvgChart band(final double from, final double to, final String label, final String colour) {
        if (!Double.isNaN(from) && !Double.isNaN(to) && to > from) {
            bands.add(new Band(from, to, label, colour));
        }
        return this;
    }

    /** Text under the title, e.g. why the chart is empty. */
    SvgChart note(final String text) {
        note = text;
        return this;
    }

    boolean isEmpty() {
        return series.isEmpty();
    }

    /** The chart as a {@code <figure>} holding the SVG, its hover data and the tooltip. */
    String render() {
        top = LEGEND_ROW * (1 + legendRows()) + 4;
        final double[] xr = range(true);
        final double[] yr = range(false);
        final StringBuilder svg = new StringBuilder(16 * 1024);
        final StringBuilder data = new StringBuilder(8 * 1024);
        svg.append(String.format(Locale.ROOT, "<figure class=\"chart\"><figcaption>%s%s</figcaption>"
                + "<svg viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">", HtmlReport.escape(title),
            note == null ? "" : " <span class=\"note\">" + HtmlReport.escape(note) + "</span>", WIDTH, HEIGHT,
            HtmlReport.escape(title)));
        for (final Band band : bands) {
            final double x0 = px(Math.max(band.from, xr[0]), xr);
            final double x1 = px(Math.min(band.to, xr[1]), xr);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"%s\" opacity=\"0.35\"/><text x=\"%.1f\" y=\"%d\" class=\"band\">%s</text>", x0, top,
                Math.max(0, x1 - x0), HEIGHT - top - BOTTOM, band.colour, x0 + 3, top + 11,
                HtmlReport.escape(band.label)));
        }
        axes(svg, xr, yr);
        data.append(String.format(Locale.ROOT, "{\"w\":%d,\"l\":%d,\"r\":%d,\"s\":[", WIDTH, LEFT, RIGHT));
        for (int i = 0; i < series.size(); i++) {
            final Series s = series.get(i);
            svg.append("<path fill=\"none\" stroke-width=\"1.6\" stroke=\"").append(s.colour).append('"')
                .append(s.dashed ? " stroke-dasharray=\"5 3\"" : "").append(" d=\"");
            data.append(i == 0 ? "" : ",").append("{\"n\":\"").append(jsonText(s.name)).append("\",\"c\":\"")
                .append(s.colour).append("\",\"p\":[");
            boolean pen = false;
            boolean firstPoint = true;
            for (int j = 0; j < Math.min(s.x.length, s.y.length); j++) {
                if (!plottable(s.x[j], xAxis) || !plottable(s.y[j], yAxis)) {
                    pen = false;
                    continue;
                }
                final double px = px(s.x[j], xr);
                final double py = py(s.y[j], yr);
                svg.append(pen ? 'L' : 'M').append(String.format(Locale.ROOT, "%.1f %.1f ", px, py));
                pen = true;
                data.append(firstPoint ? "" : ",").append(String.format(Locale.ROOT, "[%.1f,%.1f,\"%s\"]", px, py,
                    jsonText(xText.apply(s.x[j]) + ": " + yText.apply(s.y[j]))));
                firstPoint = false;
            }
            svg.append("\"/>");
            data.append("]}");
        }
        data.append("]}");
        svg.append("<line class=\"rule\" x1=\"-9\" x2=\"-9\" y1=\"").append(top).append("\" y2=\"")
            .append(HEIGHT - BOTTOM).append("\" stroke=\"#888\" stroke-dasharray=\"3 3\"/><g class=\"dots\"></g>");
        legend(svg);
        svg.append("</svg><div class=\"tip\"></div><script type=\"application/json\">").append(data)
            .append("</script></figure>\n");
        return svg.toString();
    }

    private void axes(final StringBuilder svg, final double[] xr, final double[] yr) {
        final int bottom = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>"
            + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", LEFT, top, LEFT, bottom, LEFT, bottom,
            WIDTH - RIGHT, bottom));
        for (final double y : ticks(yr, yAxis)) {
            final double py = py(y, yr);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
                + "<text x=\"%d\" y=\"%.1f\" class=\"ytick\">%s</text>", LEFT, py, WIDTH - RIGHT, py, LEFT - 6,
                py + 4, HtmlReport.escape(yText.apply(y))));
        }
        for (final double x : ticks(xr, xAxis)) {
            final double px = px(x, xr);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"axis\"/>"
                + "<text x=\"%.1f\" y=\"%d\" class=\"xtick\">%s</text>", px, bottom, px, bottom + 4, px, bottom + 16,
                HtmlReport.escape(xAxis == Axis.NINES ? HtmlReport.ninesLabel(x) : xText.apply(x))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"xlabel\">%s</text>",
            (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 4, HtmlReport.escape(xLabel)));
    }

    /** The legend, wrapped onto as many rows as it needs above the plot. */
    private void legend(final StringBuilder svg) {
        int x = LEFT + 8;
        int row = 0;
        for (final Series s : series) {
            final int width = legendWidth(s);
            if (x + width > WIDTH - RIGHT && x > LEFT + 8) {
                x = LEFT + 8;
                row++;
            }
            final int y = 6 + row * LEGEND_ROW;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>", x, y, s.colour, x + 18, y + 6,
                HtmlReport.escape(s.name)));
            x += width;
        }
    }

    private int legendRows() {
        int x = LEFT + 8;
        int rows = 1;
        for (final Series s : series) {
            if (x + legendWidth(s) > WIDTH - RIGHT && x > LEFT + 8) {
                x = LEFT + 8;
                rows++;
            }
            x += legendWidth(s);
        }
        return rows;
    }

    private static int legendWidth(final Series s) {
        return 30 + 7 * s.name.length();
    }

    private double[] range(final boolean isX) {
        final Axis axis = isX ? xAxis : yAxis;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (final Series s : series) {
            for (final double v : isX ? s.x : s.y) {
                if (plottable(v, axis)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (isX) {
            for (final Band band : bands) {
                max = Math.max(max, band.to);
            }
        }
        if (axis == Axis.NINES) {
            return new double[] {0, NINES_MAX};
        }
        if (axis == Axis.LOG) {
            if (min == Double.POSITIVE_INFINITY) {
                return new double[] {0, 3};
            }
            final double low = Math.floor(Math.log10(min));
            return new double[] {low, Math.max(low + 1, Math.ceil(Math.log10(max)))};
        }
        if (max == Double.NEGATIVE_INFINITY || max <= 0) {
            return new double[] {0, 1};
        }
        return new double[] {0, isX ? max : niceCeiling(max)};
    }

    private static boolean plottable(final double v, final Axis axis) {
        return !Double.isNaN(v) && !Double.isInfinite(v) && (axis != Axis.LOG || v > 0);
    }

    private double px(final double x, final double[] xr) {
        return LEFT + (x - xr[0]) / (xr[1] - xr[0]) * (WIDTH - LEFT - RIGHT);
    }

    private double py(final double y, final double[] yr) {
        final double v = yAxis == Axis.LOG ? Math.log10(y) : y;
        return HEIGHT - BOTTOM - (v - yr[0]) / (yr[1] - yr[0]) * (HEIGHT - top - BOTTOM);
    }

    private static List<Double> ticks(final double[] range, final Axis axis) {
        final List<Double> out = new ArrayList<>();
        if (axis == Axis.NINES) {
            for (int i = 0; i <= NINES_MAX; i++) {
                out.add((double) i);
            }
            return out;
        }
        if (axis == Axis.LOG) {
            for (double d = range[0]; d <= range[1]; d++) {
                out.add(Math.pow(10, d));
            }
            return out;
        }
        final double step = niceStep(range[1] / 5);
        for (double v = 0; v <= range[1] + step / 1e6; v += step) {
            out.add(v);
        }
        return out;
    }

    private static double niceStep(final double rough) {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        final double fraction = rough / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private static double niceCeiling(final double max) {
        final double step = niceStep(max / 5);
        return Math.ceil(max / step) * step;
    }

    private static String jsonText(final String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("<", "\\u003c");
    }
}
