package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.BinaryRecordReader;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.FixedPoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A new feed session reaches every subscriber in order: what was sent of the old session, then the reset event (a
 * JSON event on ticker.v1.json, a type-2 record on ticker.v1.binary), then the new session's quotes; acks carry the
 * epoch.
 */
class FeedEpochResetTest {
    private final OneShardFeed feed = new OneShardFeed(4, 7);
    private final String symbol = feed.universe().symbol(0);
    /** The ack's reference price of {@link #symbol}. */
    private final String open =
        ",\"open\":{\"" + symbol + "\":" + FixedPoint.toString(feed.universe().basePrice(0)) + "}";

    @Test
    void shouldSendTheResetBetweenTheOldSessionsQuotesAndTheNewOnesOnBothSubprotocols() {
        feed.shard().startAtEpoch(5);
        final RecordingSink jsonSink = new RecordingSink();
        final RecordingSink binarySink = new RecordingSink();
        final Subscriber json = new Subscriber(jsonSink, feed.shard(), feed.universe(), 100, WireFormat.JSON);
        final Subscriber binary = new Subscriber(binarySink, feed.shard(), feed.universe(), 100, WireFormat.BINARY);
        json.subscribe("\"j\"", List.of(symbol));
        binary.subscribe("\"b\"", List.of(symbol));
        feed.publish(0);
        feed.startEpoch(42);
        feed.publish(0);

        assertEquals(List.of(
            "[{\"type\":\"subscribed\",\"id\":\"j\",\"symbols\":[\"" + symbol + "\"],\"epoch\":5" + open + "}]",
            "quote seq 0",
            "[{\"type\":\"reset\",\"epoch\":42}]",
            "quote seq 1"), jsonSink.frames());
        assertEquals(List.of(
            "{\"type\":\"subscribed\",\"id\":\"b\",\"symbols\":[\"" + symbol + "\"],\"epoch\":5" + open + "}",
            "quote seq 0",
            "{\"type\":\"reset\",\"epoch\":42}",
            "quote seq 1"), binarySink.frames());

        // a subscriber after the reset: the new epoch in its ack, and the new session's quote as its snapshot
        final RecordingSink lateSink = new RecordingSink();
        final Subscriber late = new Subscriber(lateSink, feed.shard(), feed.universe(), 100, WireFormat.JSON);
        late.subscribe("\"l\"", List.of(symbol));
        final String frame = lateSink.frames().get(0);
        assertTrue(frame.contains("\"epoch\":42") && frame.contains("\"seq\":1") && frame.contains("\"snapshot\":true"),
            frame);

        // subscribing again by name after the reset: the new session's ack with the reference prices, no snapshot
        json.subscribe("\"again\"", List.of(symbol));
        assertEquals("[{\"type\":\"subscribed\",\"id\":\"again\",\"symbols\":[\"" + symbol + "\"],\"epoch\":42"
            + open + "}]", jsonSink.frames().get(4), "the ack of a second subscribe");
        assertEquals(5, jsonSink.frames().size(), "no second snapshot: " + jsonSink.frames());
    }

    @Test
    void shouldNotSnapshotTheOldSessionsBookAfterAReset() {
        feed.publish(0);
        feed.startEpoch(43);
        final RecordingSink sink = new RecordingSink();
        final Subscriber subscriber = new Subscriber(sink, feed.shard(), feed.universe(), 100, WireFormat.JSON);
        subscriber.subscribe("\"s\"", List.of(symbol));
        assertEquals(
            List.of("[{\"type\":\"subscribed\",\"id\":\"s\",\"symbols\":[\"" + symbol + "\"],\"epoch\":43"
                + open + "}]"),
            sink.frames(), "the book was emptied: nothing of the old session to snapshot");
    }

    /** Takes every frame at once and keeps it as text: events as they are, quotes by their seq. */
    private static final class RecordingSink extends SilentControlSink {
        private final List<String> frames = new ArrayList<>();

        List<String> frames() {
            return frames;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            final String text = StandardCharsets.UTF_8.decode(frame).toString();
            frames.add(text.startsWith("[{\"type\":\"quote\"") && !text.contains("snapshot")
                ? "quote seq " + text.replaceAll(".*\"seq\":(\\d+).*", "$1") : text);
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            final byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            final BinaryRecordReader reader = new BinaryRecordReader().wrap(bytes, 0, bytes.length);
            while (reader.hasNext()) {
                if (reader.next() == BinaryRecords.TYPE_EVENT) {
                    frames.add(new String(reader.buffer(), reader.recordOffset() + BinaryRecords.HEADER_LENGTH,
                        reader.recordLength() - BinaryRecords.HEADER_LENGTH, StandardCharsets.UTF_8));
                } else {
                    frames.add("quote seq " + java.nio.ByteBuffer.wrap(reader.buffer())
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(reader.recordOffset() + 24));
                }
            }
            owner.frameSent();
        }
    }
}
