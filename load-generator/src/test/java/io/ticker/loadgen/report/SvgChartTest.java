package io.ticker.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {
    private static final Pattern PATH = Pattern.compile("<path fill=\"none\"[^>]* d=\"([^\"]*)\"");

    @Test
    void shouldStartALinearAxisAtZeroEvenWhenTheDataDoesNot() {
        final String svg = new SvgChart("quotes", "s", SvgChart.Axis.LINEAR, HumanText::seconds,
            SvgChart.Axis.LINEAR, SummaryTable::fmtCount)
            .line("quotes/s", new double[] {1, 2, 3}, new double[] {900, 950, 1000}).render();

        assertTrue(svg.contains("class=\"ytick\">0</text>"), "a tick at zero: heights compare");
        assertTrue(svg.contains("class=\"ytick\">1,000</text>"), "and one at the top");
    }

    @Test
    void shouldLeaveAGapWhereASecondHasNoValue() {
        final String svg = new SvgChart("p99", "s", SvgChart.Axis.LINEAR, HumanText::seconds, SvgChart.Axis.LOG,
            Micros::text).line("p99", new double[] {1, 2, 3, 4}, new double[] {100, Double.NaN, 2_000, 30_000})
            .render();

        final Matcher path = PATH.matcher(svg);
        assertTrue(path.find(), svg);
        assertEquals(2, path.group(1).chars().filter(c -> c == 'M').count(), "two runs of line around the gap");
        assertTrue(svg.contains(">100us</text>") && svg.contains(">100ms</text>"), "decades on the log axis");
    }

    @Test
    void shouldCarryEveryPointsValueForTheHover() {
        final String svg = new SvgChart("latency", "percentile", SvgChart.Axis.NINES, HtmlReport::percentileText,
            SvgChart.Axis.LINEAR, Micros::text).line("latency", new double[] {0, 2, 5}, new double[] {10, 20, 4_000})
            .render();

        assertTrue(svg.contains("99.999%</text>"), "the nines axis reaches 99.999%");
        assertTrue(svg.contains("\"99%: 20us\""), "hover text of the 99th percentile:\n" + svg);
    }
}
