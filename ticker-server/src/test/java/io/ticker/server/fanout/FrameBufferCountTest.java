package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * How many frame buffers subscribers hold: none between frames (each of tens of thousands of idle connections would
 * keep what it holds), so that one buffer from the shard's pool serves every frame the socket takes during the call
 * that hands it over, and a second exists only while a frame waits in the sink and the next one is built meanwhile.
 */
class FrameBufferCountTest {
    private final OneShardFeed feed = new OneShardFeed(10, 42);
    private final SymbolUniverse universe = feed.universe();

    @Test
    void shouldBuildEveryFrameInOneBufferWhileTheSocketTakesEachDuringTheCall() {
        final RecordingSink sink = new RecordingSink(true);
        final Subscriber subscriber = new Subscriber(sink, feed.shard(), universe, 100);
        subscriber.subscribe("s1", List.of(universe.symbols().get(0)));
        for (int i = 0; i < 5; i++) {
            feed.publish(0);
        }

        assertEquals(6, sink.arrays.size(), "the ack, then five quotes in frames of their own");
        assertEquals(1, buffers(sink.arrays), "every frame built in the first frame's buffer");
        assertTrue(sink.texts.get(5).contains("\"seq\":4"), "the last frame is the fifth quote: " + sink.texts.get(5));
    }

    @Test
    void shouldBuildTheNextFrameInASecondBufferWhileTheSinkKeepsOne() {
        final RecordingSink sink = new RecordingSink(false);
        final Subscriber subscriber = new Subscriber(sink, feed.shard(), universe, 100);
        subscriber.subscribe("s1", List.of(universe.symbols().get(0)));
        subscriber.subscribe("s2", List.of(universe.symbols().get(1)));
        final String keptAck = new String(sink.heldBytes(), StandardCharsets.UTF_8);
        sink.complete(subscriber);
        sink.complete(subscriber);
        feed.publish(0);
        sink.complete(subscriber);

        assertEquals(3, sink.arrays.size(), "the first ack, the second built while it was held, a quote");
        assertTrue(sink.arrays.get(0) != sink.arrays.get(1), "the second ack was built while the first was held");
        assertTrue(sink.arrays.get(2) == sink.arrays.get(1), "once sent, the buffers went back to the pool");
        assertEquals(2, buffers(sink.arrays));
        assertTrue(keptAck.contains("subscribed"), "the held frame kept its bytes: " + keptAck);
    }

    @Test
    void shouldLetSubscribersBetweenFramesHoldNoBuffer() {
        final RecordingSink sink = new RecordingSink(true);
        for (int i = 0; i < 50; i++) {
            final Subscriber subscriber = new Subscriber(sink, feed.shard(), universe, 100);
            subscriber.subscribe("s" + i, List.of(universe.symbols().get(i % 10)));
        }
        for (int symbolId = 0; symbolId < 10; symbolId++) {
            feed.publish(symbolId);
        }

        assertEquals(100, sink.arrays.size(), "50 acks, then each subscriber's quote");
        assertEquals(5, buffers(sink.arrays), "as many buffers as one drain builds frames at once: a symbol's five "
            + "subscribers, not all fifty");
        assertEquals(5, feed.shard().framePool().idle(), "and all of them are back in the pool");
    }

    private static int buffers(final List<byte[]> arrays) {
        final Set<byte[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(arrays);
        return distinct.size();
    }

    /** Records each frame's backing array and text; completes each during the call, or only when told. */
    private static final class RecordingSink extends SilentControlSink {
        final List<byte[]> arrays = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        private final boolean takesDuringCall;
        private ByteBuffer held;

        RecordingSink(final boolean takesDuringCall) {
            this.takesDuringCall = takesDuringCall;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            arrays.add(frame.array());
            texts.add(StandardCharsets.UTF_8.decode(frame.duplicate()).toString());
            if (takesDuringCall) {
                frame.position(frame.limit());
                owner.frameSent();
            } else {
                held = frame;
            }
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            sendText(frame, owner);
        }

        byte[] heldBytes() {
            final byte[] bytes = new byte[held.remaining()];
            held.duplicate().get(bytes);
            return bytes;
        }

        void complete(final Subscriber owner) {
            held = null;
            owner.frameSent();
        }
    }
}
