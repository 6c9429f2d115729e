package io.ticker.loadgen.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a quote's conflated count is split between the recorded window and what lies outside it. */
class RecordingWindowTest {
    private static final long START = 1_000_000;
    private static final long END = 2_000_000;

    @Test
    void shouldCountEveryReplacedUpdateWhenBothQuotesLieInside() {
        assertEquals(7, RecordingWindow.conflatedInside(7, 1_200_000, 1_300_000, START, END));
    }

    @Test
    void shouldCountNoneWhenBothQuotesLieOutside() {
        assertEquals(0, RecordingWindow.conflatedInside(7, 900_000, 990_000, START, END), "before");
        assertEquals(0, RecordingWindow.conflatedInside(7, 2_100_000, 2_200_000, START, END), "after");
    }

    @Test
    void shouldCountOnlyTheInsideShareOfUpdatesReplacedAcrossTheStart() {
        // a connection conflated from 0.2 s before the start to 0.1 s after it: a third of the span is inside
        assertEquals(100, RecordingWindow.conflatedInside(300, 800_000, 1_100_000, START, END));
    }

    @Test
    void shouldCountTheInsideShareOfAQuoteMadeAfterTheEnd() {
        // the quote itself is outside, but three quarters of what it replaced was made inside
        assertEquals(30, RecordingWindow.conflatedInside(40, 1_970_000, 2_010_000, START, END));
    }

    @Test
    void shouldCountTheWindowsShareOfASpanCoveringAllOfIt() {
        assertEquals(50, RecordingWindow.conflatedInside(100, 500_000, 2_500_000, START, END));
    }

    @Test
    void shouldFallBackToTheQuotesOwnTimeWithoutAPreviousQuote() {
        assertEquals(9, RecordingWindow.conflatedInside(9, -1, 1_000_000, START, END), "made at the start: inside");
        assertEquals(0, RecordingWindow.conflatedInside(9, -1, 2_000_000, START, END), "made at the end: outside");
        assertEquals(9, RecordingWindow.conflatedInside(9, 1_500_000, 1_500_000, START, END),
            "the same tick as the previous quote: no span to split");
    }

    @Test
    void shouldCountNothingBeforeTheWindowIsOpen() {
        assertEquals(0, RecordingWindow.conflatedInside(9, 100, 200, Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(0, RecordingWindow.conflatedInside(9, -1, 200, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    @Test
    void shouldCountReplacedUpdatesOfAStillOpenWindowFromItsStart() {
        assertEquals(150, RecordingWindow.conflatedInside(300, 500_000, 1_500_000, START, Long.MAX_VALUE));
    }
}
