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
 * How many frame buffers a subscriber holds: one while its socket takes every frame during the call that hands it over
 * (each of tens of thousands of idle connections keeps what it holds), and a second only while a frame waits in the
 * sink, so that the next one can be built meanwhile.
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
        feed.publish(0);
        final String keptAck = new String(sink.heldBytes(), StandardCharsets.UTF_8);
        sink.complete(subscriber);
        feed.publish(0);
        sink.complete(subscriber);

        assertEquals(3, sink.arrays.size(), "the ack, the quote conflated behind it, the next quote");
        assertTrue(sink.arrays.get(0) != sink.arrays.get(1), "the quote was built while the ack was held");
        assertTrue(sink.arrays.get(0) == sink.arrays.get(2), "and the ack's buffer, once sent, is the spare");
        assertEquals(2, buffers(sink.arrays));
        assertTrue(keptAck.contains("subscribed"), "the held frame kept its bytes: " + keptAck);
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
