package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A shard builds one frame of a drain's quotes for all its firehose subscribers that have nothing of their own
 * pending, and those subscribers must see exactly what they would have built themselves; one whose socket cannot
 * take a whole shared frame falls back to its own frames and conflation until it catches up.
 */
class SharedFirehoseFrameTest {
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private final OneShardFeed feed = new OneShardFeed(50, 7);
    private final SymbolUniverse universe = feed.universe();
    private final FanoutShard shard = feed.shard();

    @Test
    void shouldSendSharingSubscribersTheFramesTheyWouldHaveBuiltThemselves() {
        final RecordingSink sharedJson = new RecordingSink(true);
        final RecordingSink ownJson = new RecordingSink(false);
        final RecordingSink sharedBinary = new RecordingSink(true);
        final RecordingSink ownBinary = new RecordingSink(false);
        firehose(sharedJson, WireFormat.JSON);
        firehose(ownJson, WireFormat.JSON);
        firehose(sharedBinary, WireFormat.BINARY);
        firehose(ownBinary, WireFormat.BINARY);

        int published = 0;
        for (int drain = 0; drain < 20; drain++) {
            publishBatch(1 + drain % 7);
            published += 1 + drain % 7;
        }

        assertEquals(20, sharedJson.sharedFrames, "every drain's frame came from the shard");
        assertEquals(20, sharedBinary.sharedFrames);
        assertEquals(0, ownJson.sharedFrames, "a sink that cannot share builds its own");
        assertFramesEqual(ownJson.frames, sharedJson.frames);
        assertFramesEqual(ownBinary.frames, sharedBinary.frames);
        assertEquals(1 + 20, sharedJson.frames.size(), "the ack, then one frame per drain");
        assertEquals(published, seqs(sharedJson.frames).size());
        assertEquals(4L * published, shard.counters().quotesDelivered(), "every quote counted once per subscriber");
    }

    @Test
    void shouldConflateBehindASharedFrameTheSocketCouldNotTakeAndShareAgainOnceCaughtUp() {
        final RecordingSink healthy = new RecordingSink(true);
        final RecordingSink slow = new RecordingSink(true);
        final Subscriber slowSubscriber = firehose(slow, WireFormat.JSON);
        firehose(healthy, WireFormat.JSON);
        publishBatch(3);

        slow.holdNextShared = true;
        publishBatch(3);
        assertEquals(1, slow.held, "the socket kept part of the frame; the sink holds a copy of the rest");
        // While that frame is in flight, the slow subscriber conflates: three drains of the same symbols.
        publishBatch(3);
        publishBatch(3);
        publishBatch(3);
        assertEquals(1 + 2, slow.frames.size(), "nothing more sent while one is in flight");
        slow.completeHeld(slowSubscriber);

        assertEquals(1 + 3, slow.frames.size(), "one frame of what waited");
        final String caughtUp = new String(slow.frames.get(3), StandardCharsets.UTF_8);
        assertEquals(List.of(12L, 13L, 14L), seqs(slow.frames.subList(3, 4)), "one quote per symbol, the newest");
        assertEquals(3, caughtUp.split("\"conflated\":2", -1).length - 1, "each replaced two older ones: " + caughtUp);
        final int sharedBefore = slow.sharedFrames;
        publishBatch(3);
        assertEquals(sharedBefore + 1, slow.sharedFrames, "back on the shared frame once nothing of its own waits");
        assertArrayEquals(healthy.frames.get(healthy.frames.size() - 1), slow.frames.get(slow.frames.size() - 1),
            "and the same frame as the healthy subscriber");
        assertEquals(1 + 6, healthy.frames.size(), "the healthy subscriber never waited");
        assertEquals(18, seqs(healthy.frames).size());
    }

    @Test
    void shouldSplitADrainLargerThanTheFrameCapIntoFullFrames() {
        final RecordingSink sharing = new RecordingSink(true);
        final RecordingSink own = new RecordingSink(false);
        firehose(sharing, WireFormat.JSON);
        firehose(own, WireFormat.JSON);
        final int framesBefore = sharing.frames.size();

        publishBatch(2_000);

        final List<byte[]> frames = sharing.frames.subList(framesBefore, sharing.frames.size());
        assertTrue(frames.size() > 1, "more than one frame: " + frames.size());
        for (final byte[] frame : frames) {
            assertTrue(frame.length <= Subscriber.MAX_FRAME_PAYLOAD_BYTES, "within the cap: " + frame.length);
            assertEquals('[', frame[0]);
            assertEquals(']', frame[frame.length - 1]);
        }
        final List<Long> seqs = seqs(frames);
        assertEquals(2_000, seqs.size(), "every update, none conflated");
        for (int i = 1; i < seqs.size(); i++) {
            assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "in ring order");
        }
        assertEquals(seqs, seqs(own.frames.subList(framesBefore, own.frames.size())), "the same quotes as built alone");
    }

    private Subscriber firehose(final RecordingSink sink, final WireFormat format) {
        final Subscriber subscriber = new Subscriber(sink, shard, universe, 100, format);
        subscriber.subscribe("all", List.of("*"));
        return subscriber;
    }

    /** One ring batch of {@code updates} quotes over the first symbols in turn: one drain of the shard. */
    private void publishBatch(final int updates) {
        for (int i = 0; i < updates; i++) {
            feed.publish(i % universe.size(), i == updates - 1);
        }
    }

    private static void assertFramesEqual(final List<byte[]> expected, final List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }

    private static List<Long> seqs(final List<byte[]> frames) {
        final List<Long> seqs = new ArrayList<>();
        for (final byte[] frame : frames) {
            final Matcher matcher = SEQ.matcher(new String(frame, StandardCharsets.UTF_8));
            while (matcher.find()) {
                seqs.add(Long.parseLong(matcher.group(1)));
            }
        }
        return seqs;
    }

    /**
     * A socket in memory that records every frame's payload. One that shares takes shared frames whole, unless told
     * to keep the next one in flight (as a socket that took only part of it) until {@link #completeHeld}.
     */
    private static final class RecordingSink extends SilentControlSink {
        final List<byte[]> frames = new ArrayList<>();
        private final boolean shares;
        int sharedFrames;
        boolean holdNextShared;
        int held;

        RecordingSink(final boolean shares) {
            this.shares = shares;
        }

        @Override
        public boolean sharesFrames() {
            return shares;
        }

        @Override
        public void sendShared(final ByteBuffer frame, final boolean binary, final Subscriber owner) {
            sharedFrames++;
            record(frame);
            if (holdNextShared) {
                holdNextShared = false;
                held++;
                return;
            }
            owner.frameSent();
        }

        void completeHeld(final Subscriber owner) {
            held--;
            owner.frameSent();
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            record(frame);
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            record(frame);
            owner.frameSent();
        }

        private void record(final ByteBuffer frame) {
            final ByteArrayOutputStream copy = new ByteArrayOutputStream();
            final ByteBuffer payload = frame.duplicate();
            while (payload.hasRemaining()) {
                copy.write(payload.get());
            }
            frames.add(copy.toByteArray());
        }
    }
}
