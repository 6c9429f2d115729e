package io.ticker.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.FeedBursts;
import io.ticker.feed.FeedSimulator;
import io.ticker.feed.QuoteSink;
import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickIdleStrategyTest {
    private static final long TICK_NS = 1_000_000;
    private final List<Long> parks = new ArrayList<>();
    private long nowNs = 5_000_000_000L;

    private TickIdleStrategy strategySleepingLate(final long slackNs) {
        return new TickIdleStrategy(TICK_NS, () -> nowNs, ns -> {
            parks.add(ns);
            nowNs += ns + slackNs;
        });
    }

    @Test
    void sleepsUntilOneTickAfterItLastWokeEvenAfterWork() {
        final TickIdleStrategy idle = strategySleepingLate(0);
        final long start = nowNs;
        idle.idle(20);
        assertEquals(start + TICK_NS, nowNs);
        nowNs += 300_000; // the tick's work
        idle.idle(20);
        assertEquals(List.of(TICK_NS, 700_000L), parks);
        assertEquals(start + 2 * TICK_NS, nowNs);
    }

    @Test
    void theTimersLatenessAddsToThePeriodLikeThePeersTimers() {
        final TickIdleStrategy idle = strategySleepingLate(80_000);
        final long start = nowNs;
        for (int i = 0; i < 1_000; i++) {
            idle.idle(1);
            nowNs += 40_000; // work inside the period: it does not lengthen it
        }
        assertEquals(start + 1_000 * (TICK_NS + 80_000) + 40_000, nowNs);
    }

    @Test
    void workLongerThanATickGoesStraightOnThenSleepsAWholeTick() {
        final TickIdleStrategy idle = strategySleepingLate(0);
        idle.idle();
        nowNs += 3_400_000; // stalled for more than three ticks
        idle.idle(500);
        assertEquals(List.of(TICK_NS), parks, "no sleep: the next call makes everything due since");
        idle.idle(3);
        assertEquals(List.of(TICK_NS, TICK_NS), parks);
    }

    @Test
    void resetSleepsAWholeTickFromNow() {
        final TickIdleStrategy idle = strategySleepingLate(0);
        idle.idle();
        nowNs += 600_000;
        idle.reset();
        idle.idle();
        assertEquals(List.of(TICK_NS, TICK_NS), parks);
    }

    @Test
    void anEarlyWakeSleepsOutTheRest() {
        final TickIdleStrategy idle = new TickIdleStrategy(TICK_NS, () -> nowNs, ns -> {
            parks.add(ns);
            nowNs += ns / 2 + 1;
        });
        final long start = nowNs;
        idle.idle(0);
        assertTrue(nowNs - (start + TICK_NS) >= 0, "woke before the tick");
        assertTrue(parks.size() > 1, "should have parked again after the early wake");
    }

    @Test
    void anInterruptEndsTheSleepSoThatTheRunnerCanClose() {
        final TickIdleStrategy idle = strategySleepingLate(-TICK_NS + 1);
        Thread.currentThread().interrupt();
        try {
            idle.idle(0);
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), parks);
    }

    @Test
    void rejectsATickOfZero() {
        assertThrows(IllegalArgumentException.class, () -> new TickIdleStrategy(0));
    }

    /**
     * The reason for the class: the feed at 20,000 updates/s, driven as its runner drives it, makes one burst per
     * tick. With a strategy that sleeps only when idle, the call after each burst finds the next quote due and makes
     * a one-quote burst of its own (1,829 bursts in this second).
     */
    @Test
    void theFeedMakesOneBurstPerTickAtTwentyThousandPerSecond() {
        final List<Integer> bursts = new ArrayList<>();
        final int[] inBurst = new int[1];
        final QuoteSink sink = new QuoteSink() {
            @Override
            public void onQuote(final Quote quote) {
                inBurst[0]++;
            }

            @Override
            public void endOfBatch() {
                bursts.add(inBurst[0]);
                inBurst[0] = 0;
            }
        };
        final FeedSimulator feed = new FeedSimulator(SymbolUniverse.generate(500, 1), 20_000, 0, 1, FeedBursts.NONE,
            sink, () -> nowNs, () -> nowNs / 1_000);
        final TickIdleStrategy idle = strategySleepingLate(60_000);
        final long end = nowNs + 1_000_000_000L;
        while (nowNs - end < 0) {
            final int made = feed.doWork();
            nowNs += made * 3_000L; // 3 µs a quote: a 20-quote burst outlasts the 50 µs between quotes
            idle.idle(made);
        }
        // one burst per period of a tick plus the timer's 60 µs lateness: 943 a second of 21-22 quotes
        assertTrue(Math.abs(bursts.size() - 943) <= 1, "bursts in one second: " + bursts.size());
        final int total = bursts.stream().mapToInt(Integer::intValue).sum();
        assertTrue(Math.abs(total - 20_000) <= 40, "quotes in one second: " + total);
        assertTrue(bursts.stream().skip(1).allMatch(size -> size >= 21 && size <= 22), "burst sizes: " + bursts);
    }
}
