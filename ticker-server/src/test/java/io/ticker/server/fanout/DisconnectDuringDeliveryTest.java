package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscriber whose socket fails in the middle of a drain leaves the symbol's index while the shard is walking it.
 * Seen with 19,000 connections dropped at once behind a backlog: the frame of a busy symbol passed 64 KiB inside one
 * drain, was sent at once, the write failed, and the walk read past the shortened list (NullPointerException, the
 * rest of the batch lost for every other subscriber of the shard).
 */
class DisconnectDuringDeliveryTest {
    private final OneShardFeed feed = new OneShardFeed(5, 42);
    private final SymbolUniverse universe = feed.universe();
    private final FanoutShard shard = feed.shard();

    @Test
    void shouldKeepDeliveringToTheOthersWhenOneFailsMidDrain() {
        final List<CountingSink> sinks = new ArrayList<>();
        final List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // every other subscriber's socket is gone: its first frame of quotes fails
            final CountingSink sink = new CountingSink(i % 2 == 1);
            final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
            subscriber.subscribe("s" + i, List.of(universe.symbols().get(0)));
            sinks.add(sink);
            subscribers.add(subscriber);
        }
        // one batch far larger than a frame: each subscriber's frame is sent mid-drain when it reaches 64 KiB
        final int quotes = 2_000;
        for (int q = 0; q < quotes; q++) {
            feed.publish(0, q == quotes - 1);
        }
        for (int i = 0; i < sinks.size(); i++) {
            final CountingSink sink = sinks.get(i);
            if (sink.failing) {
                assertTrue(sink.aborted, "subscriber " + i + " dropped");
            } else {
                assertEquals(quotes, sink.quotes, "subscriber " + i + " got every quote");
            }
        }
        assertEquals(3, shard.counters().subscriptions(), "the failed ones left the index");
    }

    /** Takes frames at once and counts the quotes in them, or fails the first frame of quotes if {@code failing}. */
    private static final class CountingSink extends SilentControlSink {
        final boolean failing;
        int quotes;
        boolean aborted;

        CountingSink(final boolean failing) {
            this.failing = failing;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            final String text = StandardCharsets.UTF_8.decode(frame).toString();
            final int inFrame = text.split("\"type\":\"quote\"", -1).length - 1;
            if (failing && inFrame > 0) {
                owner.frameFailed();
                return;
            }
            quotes += inFrame;
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            owner.frameSent();
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }
}
