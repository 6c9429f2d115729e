package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FeedBurstsTest {
    private static final long MILLISECOND_NS = 1_000_000L;
    private static final long SECOND_NS = 1_000_000_000L;
    /** Three times the rate for the last second of every five. */
    private static final FeedBursts THREE_FOR_ONE_IN_FIVE = new FeedBursts(3, 5 * SECOND_NS, SECOND_NS);

    private final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, 42);

    @Test
    void shouldDueTheSameQuotesAsASteadyRateWithoutBursts() {
        for (final long elapsed : new long[] {0, 1, 999_999, SECOND_NS, 7 * SECOND_NS + 123_456_789L}) {
            assertEquals((long) (elapsed * 5_000.0 / 1e9), FeedBursts.NONE.quotesDue(elapsed, 5_000), "" + elapsed);
        }
    }

    @Test
    void shouldRaiseTheRateOnlyInTheLastPartOfEveryPeriod() {
        final FeedBursts bursts = THREE_FOR_ONE_IN_FIVE;

        assertEquals(4_000, bursts.quotesDue(4 * SECOND_NS, 1_000), "calm for four seconds");
        assertEquals(7_000, bursts.quotesDue(5 * SECOND_NS, 1_000), "then three times the rate for one");
        assertEquals(8_000, bursts.quotesDue(6 * SECOND_NS, 1_000), "calm again in the next period");
        assertEquals(14_000, bursts.quotesDue(10 * SECOND_NS, 1_000));
        assertEquals(5_500, bursts.quotesDue(4 * SECOND_NS + 500 * MILLISECOND_NS, 1_000), "half a burst");
        assertFalse(bursts.inBurst(3_999 * MILLISECOND_NS));
        assertTrue(bursts.inBurst(4 * SECOND_NS));
        assertTrue(bursts.inBurst(4_999 * MILLISECOND_NS));
        assertFalse(bursts.inBurst(5 * SECOND_NS));
        assertEquals(1.4, bursts.meanFactor(), 1e-12);
        assertEquals(1.0, FeedBursts.NONE.meanFactor(), 0);
    }

    @Test
    void shouldMakeThreeTimesTheQuotesPerSecondDuringABurst() {
        final ManualClock clock = new ManualClock(0);
        final FeedSimulator feed = new FeedSimulator(universe, 2_000, 1.0, 42, THREE_FOR_ONE_IN_FIVE, quote -> {
        }, clock, clock);
        feed.doWork();
        final long[] perSecond = new long[10];
        for (int second = 0; second < perSecond.length; second++) {
            // idled unevenly, as a real loop is: the schedule must not care
            for (int step = 0; step < 37; step++) {
                clock.advanceNanos(step == 36 ? SECOND_NS - 36 * 27 * MILLISECOND_NS : 27 * MILLISECOND_NS);
                perSecond[second] += feed.doWork();
            }
        }

        assertArrayEquals(new long[] {2_000, 2_000, 2_000, 2_000, 6_000, 2_000, 2_000, 2_000, 2_000, 6_000},
            perSecond, Arrays.toString(perSecond));
        assertEquals(0, feed.missedQuotes());
    }

    @Test
    void shouldMakeTheSameQuotesOnEveryRunWithBursts() {
        final RecordingSink first = runBursty(7);
        final RecordingSink second = runBursty(7);

        assertEquals(first.count, second.count);
        assertArrayEquals(first.symbolIds, second.symbolIds);
        assertArrayEquals(first.bids, second.bids);
        assertArrayEquals(first.timestamps, second.timestamps);
    }

    @Test
    void shouldRefuseShapesThatCannotBeMeant() {
        assertThrows(IllegalArgumentException.class, () -> new FeedBursts(0.5, SECOND_NS, 1));
        assertThrows(IllegalArgumentException.class, () -> new FeedBursts(Double.NaN, SECOND_NS, 1));
        assertThrows(IllegalArgumentException.class, () -> new FeedBursts(3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FeedBursts(3, SECOND_NS, SECOND_NS));
        assertThrows(IllegalArgumentException.class, () -> new FeedBursts(3, SECOND_NS, -1));
    }

    private RecordingSink runBursty(final long seed) {
        final ManualClock clock = new ManualClock(0);
        final RecordingSink sink = new RecordingSink(40_000);
        final FeedSimulator feed = new FeedSimulator(universe, 1_000, 1.0, seed,
            new FeedBursts(4, 2 * SECOND_NS, 500 * MILLISECOND_NS), sink, clock, clock);
        feed.doWork();
        for (int step = 0; step < 1_000; step++) {
            clock.advanceNanos(11 * MILLISECOND_NS);
            feed.doWork();
        }
        return sink;
    }
}
