package io.ticker.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void shouldLabelTheNinesAxis() {
        assertEquals("0%", HtmlReport.ninesLabel(0.0));
        assertEquals("90%", HtmlReport.ninesLabel(1.0));
        assertEquals("99%", HtmlReport.ninesLabel(2.0));
        assertEquals("99.99%", HtmlReport.ninesLabel(4.0));
        assertEquals("", HtmlReport.ninesLabel(1.5));
    }
}
