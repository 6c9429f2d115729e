package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.BinaryRecordReader;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.JsonParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A subscribe with since on one shard, both subprotocols: the ack says recovered, the updates after since of the
 * newly covered symbols follow marked replayed (JSON member, binary flag 0x02) in seq order with no snapshot, then
 * live quotes carry on from the next seq; the firehose resumes the same way; a since the history no longer reaches
 * gets snapshots and the reason.
 */
class ResumeReplayTest {
    private final OneShardFeed feed = new OneShardFeed(4, 7, 64);

    @Test
    void shouldReplayWhatWasMissedThenGoLiveOnBothSubprotocols() {
        feed.shard().startAtEpoch(5);
        for (int i = 0; i < 12; i++) {
            feed.publish(i % 4); // seqs 0..11, symbol = seq % 4
        }
        final List<String> json = resume(WireFormat.JSON, List.of(feed.universe().symbol(1),
            feed.universe().symbol(2)), 4);
        assertEquals(List.of("ack recovered=true", "replayed 5", "replayed 6", "replayed 9", "replayed 10",
            "live 13", "live 14"), json);
        final List<String> binary = resume(WireFormat.BINARY, List.of(feed.universe().symbol(1),
            feed.universe().symbol(2)), 4);
        // the JSON subscriber's live 13 and 14 were published since: replayed too
        assertEquals(List.of("ack recovered=true", "replayed 5", "replayed 6", "replayed 9", "replayed 10",
            "replayed 13", "replayed 14", "live 17", "live 18"), binary);
    }

    @Test
    void shouldReplayEverySymbolToTheFirehose() {
        feed.shard().startAtEpoch(5);
        for (int i = 0; i < 6; i++) {
            feed.publish(i % 4);
        }
        assertEquals(List.of("ack recovered=true", "replayed 3", "replayed 4", "replayed 5", "live 6", "live 7",
            "live 8", "live 9"), resume(WireFormat.JSON, List.of("*"), 2));
    }

    @Test
    void shouldSendSnapshotsAndTheReasonWhenTheHistoryNoLongerReaches() {
        feed.shard().startAtEpoch(5);
        for (int i = 0; i < 100; i++) {
            feed.publish(i % 4); // 100 updates through a history of 64
        }
        final List<String> events = resume(WireFormat.JSON, List.of(feed.universe().symbol(1)), 10);
        assertEquals(List.of("ack recovered=false too-old", "snapshot 97", "live 101"), events.subList(0, 3));
    }

    /** Subscribes a new subscriber with since, then publishes one quote of each symbol; what it got, one a line. */
    private List<String> resume(final WireFormat format, final List<String> symbols, final long since) {
        final Recording sink = new Recording();
        final Subscriber subscriber = new Subscriber(sink, feed.shard(), feed.universe(), 100, format);
        subscriber.subscribe("\"r\"", symbols, since, 5);
        for (int symbolId = 0; symbolId < 4; symbolId++) {
            feed.publish(symbolId);
        }
        return sink.events;
    }

    private static final class Recording extends SilentControlSink {
        final List<String> events = new ArrayList<>();

        @Override
        @SuppressWarnings("unchecked")
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            for (final Object event : (List<Object>) JsonParser.parse(StandardCharsets.UTF_8.decode(frame)
                .toString())) {
                record((Map<String, Object>) event);
            }
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            final byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            final BinaryRecordReader reader = new BinaryRecordReader().wrap(bytes, 0, bytes.length);
            while (reader.hasNext()) {
                if (reader.next() == BinaryRecords.TYPE_EVENT) {
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> event = (Map<String, Object>) JsonParser.parse(reader.eventJson());
                    record(event);
                } else {
                    assertFalse(reader.isReplayed() && reader.isSnapshot());
                    events.add((reader.isReplayed() ? "replayed " : reader.isSnapshot() ? "snapshot " : "live ")
                        + reader.seq());
                }
            }
            owner.frameSent();
        }

        private void record(final Map<String, Object> event) {
            if ("subscribed".equals(event.get("type"))) {
                events.add("ack recovered=" + event.get("recovered")
                    + (event.containsKey("reason") ? " " + event.get("reason") : ""));
            } else if ("quote".equals(event.get("type"))) {
                assertTrue(event.get("snapshot") == null || event.get("replayed") == null);
                final String kind = Boolean.TRUE.equals(event.get("replayed")) ? "replayed "
                    : Boolean.TRUE.equals(event.get("snapshot")) ? "snapshot " : "live ";
                events.add(kind + event.get("seq"));
            } else {
                events.add(String.valueOf(event));
            }
        }
    }
}
