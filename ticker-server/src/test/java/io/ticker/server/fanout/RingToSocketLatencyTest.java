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

        final long now = System.nanoTime();
        publish(now - TimeUnit.MILLISECONDS.toNanos(50));
        // The first frame is still in flight: these two wait, the second replacing the first (conflation).
        publish(now - TimeUnit.MILLISECONDS.toNanos(30));
        publish(now - TimeUnit.MILLISECONDS.toNanos(10));
        sink.complete(subscriber);
        sink.complete(subscriber);

        final Histogram samples = samples();
        assertEquals(2, samples.getTotalCount(), "one sample per frame");
        assertTrue(samples.getMaxValue() >= 50_000, "first frame from 50 ms ago: " + samples.getMaxValue());
        assertTrue(samples.getMinValue() >= 30_000 && samples.getMinValue() < 50_000,
            "second frame from its oldest quote, 30 ms ago, not the 10 ms one it carries: " + samples.getMinValue());
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
