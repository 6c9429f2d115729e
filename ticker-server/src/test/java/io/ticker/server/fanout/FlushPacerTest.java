package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlushPacerTest {
    private static final long NOW = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private long cpu;
    private final FlushPacer pacer = FlushPacer.on(() -> cpu);

    @Test
    void shouldLetTheNextPassRunAtOnceAfterACheapPass() {
        pass(FlushPacer.FREE_PASS_NANOS, 13 * 500, 500);
        assertTrue(pacer.waitNanos(NOW) <= 0);
    }

    @Test
    void shouldHoldTheNextPassBackForTheExcessOfADensePass() {
        pass(FlushPacer.FREE_PASS_NANOS + 3 * MS, 13 * 500, 500);
        assertEquals(3 * MS * FlushPacer.IDLE_PER_BUSY, pacer.waitNanos(NOW));
    }

    @Test
    void shouldHoldNothingBackWhereEachSubscriberHadOneQuote() {
        pass(FlushPacer.FREE_PASS_NANOS + 3 * MS, 520, 500);
        assertTrue(pacer.waitNanos(NOW) <= 0);
    }

    @Test
    void shouldWeighTheHoldByQuotesPerSubscriberBetweenOneAndAHalfAndThree() {
        pass(FlushPacer.FREE_PASS_NANOS + 3 * MS, 1_125, 500);
        assertEquals(3 * MS * FlushPacer.IDLE_PER_BUSY / 2, pacer.waitNanos(NOW), "2.25 quotes each: half weight");
    }

    @Test
    void shouldNeverHoldBackWithoutACpuClock() {
        final FlushPacer never = FlushPacer.never();
        never.passStarting();
        never.passEnded(NOW, 13 * 500, 500);
        assertTrue(never.waitNanos(NOW) <= 0);
    }

    private void pass(final long cpuNanos, final long quotes, final int subscribers) {
        pacer.passStarting();
        cpu += cpuNanos;
        pacer.passEnded(NOW, quotes, subscribers);
    }
}
