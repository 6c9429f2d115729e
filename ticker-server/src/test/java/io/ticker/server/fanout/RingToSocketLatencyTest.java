package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The ring-to-socket hop is one sample per frame that carries quotes, timed from the oldest quote that went in. */
class RingToSocketLatencyTest {
    private final OneShardFeed feed = new OneShardFeed(10, 42);
    private final SymbolUniverse universe = feed.universe();
    private final FanoutShard shard = feed.shard();
    private final HeldSink sink = new HeldSink();

    @Test
    void shouldTimeEachFrameFromTheOldestQuoteThatWentIntoIt() {
        final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
        subscriber.subscribe("r1", List.of(universe.symbols().get(0)));
        sink.complete(subscriber);
        assertEquals(0, samples().getTotalCount(), "an ack frame carries no quote");

        // Ages of seconds, far apart, so that a test thread descheduled on a busy machine cannot blur them.
        final long now = System.nanoTime();
        publish(now - TimeUnit.SECONDS.toNanos(30));
        // The first frame is still in flight: these two wait, the second replacing the first (conflation).
        publish(now - TimeUnit.SECONDS.toNanos(20));
        publish(now - TimeUnit.SECONDS.toNanos(10));
        sink.complete(subscriber);
        sink.complete(subscriber);

        final Histogram samples = samples();
        assertEquals(2, samples.getTotalCount(), "one sample per frame");
        // Thresholds halfway between the ages: neither histogram precision nor when the shard reads its clock matters.
        final long second = 1_000_000;
        assertTrue(samples.getMaxValue() >= 25 * second, "first frame from 30 s ago: " + samples.getMaxValue());
        assertTrue(samples.getMinValue() >= 15 * second && samples.getMinValue() < 25 * second,
            "second frame from its oldest quote, 20 s ago, not the 10 s one it carries: " + samples.getMinValue());
    }

    private void publish(final long publishNanos) {
        feed.publish(0, true, publishNanos);
    }

    private Histogram samples() {
        return shard.counters().ringToSocketLatency().intervalHistogram(null);
    }

    /** A socket whose writes complete only when the test says so. */
    private static final class HeldSink extends SilentControlSink {
        private int inFlight;

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            inFlight++;
        }

        void complete(final Subscriber owner) {
            assertEquals(1, inFlight, "one frame in flight");
            inFlight--;
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            inFlight++;
        }
    }
}
