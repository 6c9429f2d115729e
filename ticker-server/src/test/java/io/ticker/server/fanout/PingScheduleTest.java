package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping pings each subscriber once per interval, but not all of them in the same pass: a thousand pings at
 * once, and the thousand pongs that come back, hold up a whole tick of quotes. Time here is the
 * clock the shard is handed, a pass every 250 ms as the server runs it.
 */
class PingScheduleTest {
    private static final Executor DIRECT = Runnable::run;
    private static final long PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long NEVER_STALLS = Long.MAX_VALUE;
    private static final int PASSES_PER_INTERVAL = (int) (INTERVAL_NANOS / PASS_NANOS);

    private final SymbolUniverse universe = SymbolUniverse.generate(5, 42);
    private final FanoutShard shard = new FanoutShard(DIRECT, universe.size());

    @Test
    void shouldPingEverySubscriberOncePerIntervalSpreadOverThePasses() {
        // all connected at once, as a load generator's ramp-up or a reconnect storm does
        final List<PingCountingSink> sinks = connect(1_000);
        final long start = System.nanoTime();
        int busiestPass = 0;
        final int intervals = 2;
        final int[] pingsBefore = new int[sinks.size()];
        for (int pass = 0; pass <= intervals * PASSES_PER_INTERVAL; pass++) {
            final int before = totalPings(sinks);
            shard.housekeep(start + pass * PASS_NANOS, INTERVAL_NANOS, NEVER_STALLS);
            busiestPass = Math.max(busiestPass, totalPings(sinks) - before);
            if (pass > 0 && pass % PASSES_PER_INTERVAL == 0) {
                for (int i = 0; i < sinks.size(); i++) {
                    assertEquals(1, sinks.get(i).pings - pingsBefore[i],
                        "subscriber " + i + " pinged once in interval " + pass / PASSES_PER_INTERVAL);
                    pingsBefore[i] = sinks.get(i).pings;
                }
            }
        }
        final int evenShare = sinks.size() / PASSES_PER_INTERVAL;
        assertTrue(busiestPass <= 2 * evenShare + 1,
            "at most twice the even share of " + evenShare + " pings in one pass, was " + busiestPass);
    }

    @Test
    void shouldKeepEachSubscribersPhaseAfterALatePass() {
        final List<PingCountingSink> sinks = connect(100);
        final long start = System.nanoTime();
        shard.housekeep(start, INTERVAL_NANOS, NEVER_STALLS);
        // the next pass comes an interval and a half late (a long pause): everyone is due, once, not once per
        // interval missed
        final long late = start + INTERVAL_NANOS + INTERVAL_NANOS / 2;
        shard.housekeep(late, INTERVAL_NANOS, NEVER_STALLS);
        assertEquals(sinks.size(), totalPings(sinks), "each pinged once on the late pass");
        // then each at its own phase again: at most once more within an interval, and never all in one pass
        int busiestPass = 0;
        for (int pass = 1; pass < PASSES_PER_INTERVAL; pass++) {
            final int before = totalPings(sinks);
            shard.housekeep(late + pass * PASS_NANOS, INTERVAL_NANOS, NEVER_STALLS);
            busiestPass = Math.max(busiestPass, totalPings(sinks) - before);
        }
        for (int i = 0; i < sinks.size(); i++) {
            assertTrue(sinks.get(i).pings <= 2, "subscriber " + i + " pinged " + sinks.get(i).pings + " times");
        }
        assertTrue(busiestPass <= 5, "the pings after the late pass stay spread, busiest pass " + busiestPass);
    }

    private List<PingCountingSink> connect(final int count) {
        final List<PingCountingSink> sinks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final PingCountingSink sink = new PingCountingSink();
            new Subscriber(sink, shard, universe, 10);
            sinks.add(sink);
        }
        return sinks;
    }

    private static int totalPings(final List<PingCountingSink> sinks) {
        int total = 0;
        for (final PingCountingSink sink : sinks) {
            total += sink.pings;
        }
        return total;
    }

    private static final class PingCountingSink extends SilentControlSink {
        int pings;

        @Override
        public void sendPing() {
            pings++;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            owner.frameSent();
        }
    }
}
