package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.FixedPoint;
import io.ticker.protocol.Quote;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FeedSimulatorTest {
    private static final long MILLISECOND_NS = 1_000_000L;
    private static final long SECOND_NS = 1_000_000_000L;

    private final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, 42);

    @Test
    void shouldMakeTheSameQuotesForTheSameSeed() {
        final RecordingSink first = record(universe, 10_000, 1.0, 42, 10_000);
        final RecordingSink second = record(universe, 10_000, 1.0, 42, 10_000);

        assertArrayEquals(first.symbolIds, second.symbolIds);
        assertArrayEquals(first.bids, second.bids);
        assertArrayEquals(first.bidSizes, second.bidSizes);
        assertArrayEquals(first.asks, second.asks);
        assertArrayEquals(first.askSizes, second.askSizes);
        assertArrayEquals(first.lasts, second.lasts);
        assertArrayEquals(first.lastSizes, second.lastSizes);
        assertArrayEquals(first.volumes, second.volumes);
    }

    @Test
    void shouldMakeOtherQuotesForAnotherSeed() {
        final RecordingSink first = record(universe, 10_000, 1.0, 42, 10_000);
        final RecordingSink second = record(universe, 10_000, 1.0, 43, 10_000);

        assertFalse(Arrays.equals(first.symbolIds, second.symbolIds));
        assertFalse(Arrays.equals(first.bids, second.bids));
    }

    @Test
    void shouldKeepQuotesValidOverManyUpdates() {
        assertQuotesValid(record(universe, 5_000, 1.0, 42, 300_000), universe);
    }

    @Test
    void shouldKeepQuotesValidForRarelyUpdatedSymbolsThatMoveALot() {
        // At a very low rate every update stands for hours of market time: the largest moves the model makes.
        assertQuotesValid(record(universe, 0.001, 0.5, 7, 300_000), universe);
    }

    @Test
    void shouldKeepQuotesValidAroundOneDollarWhereTheTickChanges() {
        final SymbolUniverse pennies = SymbolUniverse.of(
            List.of("SUB", "ONE", "OVER", "DIME"),
            new long[] {
                FixedPoint.parse("0.9995"), FixedPoint.ONE, FixedPoint.parse("1.01"), FixedPoint.parse("0.10"),
            });
        final RecordingSink quotes = record(pennies, 0.01, 0.0, 11, 200_000);

        assertQuotesValid(quotes, pennies);
        boolean sawBelowDollar = false;
        boolean sawAtOrAboveDollar = false;
        for (int i = 0; i < quotes.count; i++) {
            sawBelowDollar |= quotes.bids[i] < FixedPoint.ONE;
            sawAtOrAboveDollar |= quotes.asks[i] >= FixedPoint.ONE;
        }
        assertTrue(sawBelowDollar && sawAtOrAboveDollar, "the test should cross $1");
    }

    @Test
    void shouldGiveTheBusiestSymbolFarMoreUpdatesThanTheMedianWithZipfOne() {
        final int quotes = 200_000;
        final int[] counts = countsBySymbol(record(universe, 5_000, 1.0, 42, quotes), universe.size());

        // Expected: id 0 about 14.7% (29,400), the median id 250 about 0.06% (117); 1/H(500) and 1/(251 H(500)).
        assertTrue(counts[0] > 100 * counts[250], counts[0] + " vs " + counts[250]);
        final FeedSimulator feed = new FeedSimulator(universe, 5_000, 1.0, 42, quote -> {
        });
        for (final int id : new int[] {0, 1, 9, 99}) {
            final double expected = quotes * feed.expectedRatePerSecond(id) / feed.ratePerSecond();
            // Six standard deviations of a binomial count: cannot fail by chance, and the seed is fixed anyway.
            assertEquals(expected, counts[id], 6 * Math.sqrt(expected) + 1, "symbol " + id);
        }
        for (int id = 1; id < 20; id++) {
            assertTrue(counts[id - 1] > counts[id] * 0.8, "activity should fall with the id at " + id);
        }
    }

    @Test
    void shouldSpreadUpdatesEvenlyWithZipfZero() {
        final int quotes = 250_000;
        final int[] counts = countsBySymbol(record(universe, 5_000, 0.0, 42, quotes), universe.size());

        final double expected = (double) quotes / universe.size();
        final double bound = 6 * Math.sqrt(expected);
        for (int id = 0; id < counts.length; id++) {
            assertEquals(expected, counts[id], bound, "symbol " + id);
        }
    }

    @Test
    void shouldMakeTheQuotesDueForTheElapsedTime() {
        final ManualClock clock = new ManualClock(123_456_789L);
        final RecordingSink sink = new RecordingSink(100_000);
        final FeedSimulator feed = new FeedSimulator(universe, 1_000, 1.0, 42, sink, clock, clock);

        assertEquals(0, feed.doWork(), "the first call starts the schedule");
        assertEquals(0, feed.doWork(), "nothing is due yet");
        clock.advanceNanos(MILLISECOND_NS / 2);
        assertEquals(0, feed.doWork(), "half a quote is not due");
        clock.advanceNanos(MILLISECOND_NS / 2);
        assertEquals(1, feed.doWork());
        assertEquals(0, feed.doWork());
        clock.advanceNanos(250 * MILLISECOND_NS);
        assertEquals(250, feed.doWork());
        clock.advanceNanos(749 * MILLISECOND_NS);
        assertEquals(749, feed.doWork());
        assertEquals(1_000, sink.count);
        assertEquals(1_000, feed.quotesMade());
        assertEquals(clock.microTime(), sink.timestamps[sink.count - 1]);
    }

    @Test
    void shouldKeepTheAverageRateOverManySmallSteps() {
        final ManualClock clock = new ManualClock(0);
        final RecordingSink sink = new RecordingSink(100_000);
        final FeedSimulator feed = new FeedSimulator(universe, 3_333, 1.0, 42, sink, clock, clock);

        feed.doWork();
        for (int i = 0; i < 10_000; i++) {
            clock.advanceNanos(100_000);
            feed.doWork();
        }

        assertEquals(3_333, sink.count, "one second at 3,333 per second");
    }

    @Test
    void shouldCapTheBurstAfterAStallAndGiveUpAnOldBacklog() {
        final ManualClock clock = new ManualClock(0);
        final RecordingSink sink = new RecordingSink(100_000);
        final FeedSimulator feed = new FeedSimulator(universe, 1_000, 1.0, 42, sink, clock, clock);

        feed.doWork();
        clock.advanceNanos(10 * SECOND_NS);
        assertEquals(FeedSimulator.BURST_QUOTES_MAX, feed.doWork());
        assertEquals(0, feed.doWork(), "the backlog beyond one burst was given up");
        assertEquals(10_000 - FeedSimulator.BURST_QUOTES_MAX, feed.missedQuotes());
        clock.advanceNanos(MILLISECOND_NS * 10);
        assertEquals(10, feed.doWork(), "back on schedule");
    }

    @Test
    void shouldCatchUpAModerateBacklogOverSeveralCalls() {
        final ManualClock clock = new ManualClock(0);
        final RecordingSink sink = new RecordingSink(100_000);
        final FeedSimulator feed = new FeedSimulator(universe, 20_000, 1.0, 42, sink, clock, clock);

        feed.doWork();
        clock.advanceNanos(SECOND_NS / 2);
        assertEquals(FeedSimulator.BURST_QUOTES_MAX, feed.doWork());
        assertEquals(FeedSimulator.BURST_QUOTES_MAX, feed.doWork());
        assertEquals(10_000 - 2 * FeedSimulator.BURST_QUOTES_MAX, feed.doWork());
        assertEquals(0, feed.doWork());
        assertEquals(0, feed.missedQuotes());
    }

    @Test
    void shouldEmitExactlyTheCountAskedWhateverTheClock() {
        final ManualClock clock = new ManualClock(0);
        final RecordingSink sink = new RecordingSink(100_000);
        final FeedSimulator feed = new FeedSimulator(universe, 1, 1.0, 42, sink, clock, clock);

        assertEquals(12_345, feed.emit(12_345));
        assertEquals(0, feed.emit(0));
        assertEquals(12_345, sink.count);
        assertEquals(12_345, feed.quotesMade());
        assertEquals(0, feed.doWork(), "emit leaves the schedule alone");
    }

    @Test
    void shouldGiveExpectedRatesThatSumToTheTotal() {
        final FeedSimulator feed = new FeedSimulator(universe, 5_000, 1.2, 42, quote -> {
        });
        double total = 0;
        for (int id = 0; id < universe.size(); id++) {
            total += feed.expectedRatePerSecond(id);
        }
        assertEquals(5_000, total, 1e-6);
        assertTrue(feed.expectedRatePerSecond(0) > feed.expectedRatePerSecond(1));
    }

    @Test
    void shouldRejectBadRatesAndExponents() {
        final QuoteSink sink = quote -> {
        };
        assertThrows(IllegalArgumentException.class, () -> new FeedSimulator(universe, 0, 1.0, 42, sink));
        assertThrows(IllegalArgumentException.class, () -> new FeedSimulator(universe, -5, 1.0, 42, sink));
        assertThrows(IllegalArgumentException.class, () -> new FeedSimulator(universe, Double.NaN, 1.0, 42, sink));
        assertThrows(IllegalArgumentException.class, () -> new FeedSimulator(universe, 5, -1, 42, sink));
    }

    @Test
    void shouldNotAllocatePerQuote() {
        final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean);
        final com.sun.management.ThreadMXBean allocations = (com.sun.management.ThreadMXBean) threads;
        Assumptions.assumeTrue(allocations.isThreadAllocatedMemorySupported()
            && allocations.isThreadAllocatedMemoryEnabled());
        final ManualClock clock = new ManualClock(0);
        final CountingSink sink = new CountingSink();
        final FeedSimulator feed = new FeedSimulator(universe, 5_000, 1.0, 42, sink, clock, clock);
        feed.emit(50_000);
        final long threadId = Thread.currentThread().getId();

        final long before = allocations.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100; i++) {
            feed.emit(2_000);
        }
        final long allocated = allocations.getThreadAllocatedBytes(threadId) - before;

        // 200,000 quotes; a single allocated object per quote would be megabytes.
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated for 200,000 quotes");
        assertEquals(250_000, sink.count);
    }

    private static RecordingSink record(
        final SymbolUniverse universe, final double rate, final double zipf, final long seed, final int quotes) {
        final ManualClock clock = new ManualClock(0);
        final RecordingSink sink = new RecordingSink(quotes);
        final FeedSimulator feed = new FeedSimulator(universe, rate, zipf, seed, sink, clock, clock);
        feed.emit(quotes);
        assertEquals(quotes, sink.count);
        return sink;
    }

    private static int[] countsBySymbol(final RecordingSink quotes, final int symbols) {
        final int[] counts = new int[symbols];
        for (int i = 0; i < quotes.count; i++) {
            counts[quotes.symbolIds[i]]++;
        }
        return counts;
    }

    private static void assertQuotesValid(final RecordingSink quotes, final SymbolUniverse universe) {
        final long[] volumeBySymbol = new long[universe.size()];
        final int[] spreadsSeen = new int[16];
        for (int i = 0; i < quotes.count; i++) {
            final String where = "quote " + i + " of symbol " + quotes.symbolIds[i];
            final long bid = quotes.bids[i];
            final long ask = quotes.asks[i];
            final long last = quotes.lasts[i];
            assertTrue(bid > 0, where);
            assertTrue(bid < ask, where + ": bid " + bid + " ask " + ask);
            assertOnTick(bid, where);
            assertOnTick(ask, where);
            assertOnTick(last, where);
            assertTrue(last >= bid && last <= ask, where + ": last " + last + " outside " + bid + ".." + ask);
            assertTrue(quotes.bidSizes[i] > 0 && quotes.bidSizes[i] % PriceProcess.ROUND_LOT_SHARES == 0, where);
            assertTrue(quotes.askSizes[i] > 0 && quotes.askSizes[i] % PriceProcess.ROUND_LOT_SHARES == 0, where);
            assertTrue(quotes.lastSizes[i] > 0, where);
            final int id = quotes.symbolIds[i];
            assertTrue(quotes.volumes[i] >= volumeBySymbol[id] + 0, where + ": volume went down");
            assertTrue(quotes.volumes[i] >= quotes.lastSizes[i], where);
            volumeBySymbol[id] = quotes.volumes[i];
            final long spreadTicks = (ask - bid) / PriceProcess.tickOf(bid);
            spreadsSeen[(int) Math.min(spreadsSeen.length - 1, spreadTicks)]++;
        }
        assertTrue(Arrays.stream(spreadsSeen).filter(n -> n > 0).count() >= 2, "the spread should vary");
    }

    private static void assertOnTick(final long price, final String where) {
        if (price >= FixedPoint.ONE) {
            assertEquals(0, price % PriceProcess.TICK_ABOVE_DOLLAR, where + ": " + FixedPoint.toString(price));
        }
        assertTrue(price > 0, where);
    }

    /** Counts without keeping anything, so that the allocation test measures only the feed. */
    private static final class CountingSink implements QuoteSink {
        private long count;

        @Override
        public void onQuote(final Quote quote) {
            count++;
        }
    }
}
