package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client may go on sending commands after our close frame, until its own close arrives. Such a command used to put
 * the closed subscriber back in the symbol index, where every quote grew a frame that was never sent (a leak without
 * bound for as long as the connection lingered), and an unsubscribe then tripped over conflation slots left from
 * before the close.
 */
class CommandsAfterCloseTest {
    private final OneShardFeed feed = new OneShardFeed(5, 42);
    private final SymbolUniverse universe = feed.universe();
    private final FanoutShard shard = feed.shard();

    @Test
    void shouldIgnoreASubscribeAfterTheCloseFrame() {
        final FrameCountingSink sink = new FrameCountingSink(true);
        final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
        subscriber.close(CloseCodes.GOING_AWAY, "bye");
        final int framesAtClose = sink.frames;

        subscriber.subscribe("late", List.of(universe.symbols().get(0)));
        subscriber.subscribe("late-all", List.of("*"));
        for (int i = 0; i < 100; i++) {
            feed.publish(0);
        }

        assertEquals(0, shard.counters().subscriptions(), "not back in the index");
        assertEquals(framesAtClose, sink.frames, "nothing sent after the close frame");
        assertEquals(0, shard.counters().quotesDelivered(), "no quote offered to it");
    }

    @Test
    void shouldIgnoreCommandsAfterTheCloseFrameWhileQuotesWereConflated() {
        // the socket never finishes a frame: the first frame stays in flight and later quotes conflate into slots
        final FrameCountingSink sink = new FrameCountingSink(false);
        final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
        subscriber.subscribe("s", List.of(universe.symbols().get(0), universe.symbols().get(1)));
        feed.publish(0);
        feed.publish(1);
        subscriber.close(CloseCodes.GOING_AWAY, "bye");

        subscriber.subscribe("late", List.of(universe.symbols().get(1)));
        subscriber.unsubscribe("late", List.of(universe.symbols().get(1)));
        subscriber.unsubscribe("late", List.of("*"));

        assertEquals(0, shard.counters().subscriptions(), "out of the index since the close");
    }

    /** Counts data frames; finishes each at once, or never (a client that stopped reading). */
    private static final class FrameCountingSink extends SilentControlSink {
        final boolean finishes;
        int frames;

        FrameCountingSink(final boolean finishes) {
            this.finishes = finishes;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            frames++;
            if (finishes) {
                owner.frameSent();
            }
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            sendText(frame, owner);
        }
    }
}
