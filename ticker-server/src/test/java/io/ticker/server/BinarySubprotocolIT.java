package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.BinaryRecordReader;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.JsonParser;
import io.ticker.protocol.Quote;
import io.ticker.protocol.Subprotocols;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ticker.v1.binary} over real sockets: negotiation in the client's order of preference, the subscribed event
 * record, the snapshot with its flag, live quotes whose every field is what was published, command answers as event
 * records, and conflation accounted for in the records' conflated count. The server runs without its embedded feed;
 * the test publishes each quote itself, so it knows every field of every seq.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BinarySubprotocolIT {
    private static final String BOTH_BINARY_FIRST = Subprotocols.BINARY + ", " + Subprotocols.JSON;

    @Test
    void shouldChooseTheFirstSubprotocolTheClientOffersThatTheServerServes() throws Exception {
        try (TickerServer server = quietServer()) {
            assertNegotiated(server, BOTH_BINARY_FIRST, Subprotocols.BINARY, RawWebSocket.OP_BINARY);
            assertNegotiated(server, Subprotocols.JSON + ", " + Subprotocols.BINARY, Subprotocols.JSON,
                RawWebSocket.OP_TEXT);
            assertNegotiated(server, "chat.v2, " + Subprotocols.BINARY, Subprotocols.BINARY, RawWebSocket.OP_BINARY);
            assertNegotiated(server, Subprotocols.BINARY, Subprotocols.BINARY, RawWebSocket.OP_BINARY);
            assertNegotiated(server, null, null, RawWebSocket.OP_TEXT);
        }
    }

    @Test
    void shouldReadOnlyTheFirstProtocolHeaderLineAsDocumented() throws Exception {
        // Undertow's handshake reads the first Sec-WebSocket-Protocol line only; docs/PROTOCOL.md says so. If this
        // starts failing, Undertow has changed and the document should follow.
        try (TickerServer server = quietServer();
             RawWebSocket ws = RawWebSocket.handshake(server.port(), upgrade("chat.v2")
                 .replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: " + Subprotocols.BINARY + "\r\n\r\n"), 0)) {
            assertEquals(101, ws.status);
            assertNull(ws.headers.get("sec-websocket-protocol"));
        }
    }

    @Test
    void shouldAckThenSnapshotThenStreamEveryFieldOfLiveQuotes() throws Exception {
        try (TickerServer server = quietServer()) {
            final Publisher feed = new Publisher(server.ingest());
            final String first = server.universe().symbol(0);
            final String second = server.universe().symbol(1);
            for (int i = 0; i < 3; i++) {
                feed.publish(0);
            }
            SlowConsumerIT.waitUntil(() -> server.quotesPublished() == 3, Duration.ofSeconds(5));

            try (BinaryClient client = BinaryClient.connect(server.port())) {
                client.ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"" + first + "\",\"" + second
                    + "\"],\"id\":\"b1\"}");
                final Record ack = client.next();
                assertEquals(BinaryRecords.TYPE_EVENT, ack.type);
                final Map<?, ?> event = (Map<?, ?>) JsonParser.parse(ack.json);
                assertEquals("subscribed", event.get("type"));
                assertEquals("b1", event.get("id"));
                assertEquals(List.of(first, second), event.get("symbols"));

                // The second symbol has had no quote yet, so only the first gets a snapshot.
                final Record snapshot = client.next();
                assertEquals(BinaryRecords.TYPE_QUOTE, snapshot.type);
                assertTrue(snapshot.snapshot, "the snapshot flag is set");
                assertEquals(first, snapshot.symbol);
                assertEquals(0, snapshot.conflated);
                feed.assertPublished(snapshot);

                final Map<String, Long> lastSeq = new HashMap<>(Map.of(first, snapshot.seq));
                for (int i = 0; i < 40; i++) {
                    feed.publish(i % 2);
                }
                // seq 3 to 42: the first symbol's at odd seqs (41 last), the second's at even ones (42 last)
                final Map<String, Long> lastPublished = Map.of(first, 41L, second, 42L);
                int live = 0;
                while (!lastPublished.equals(lastSeq)) {
                    final Record quote = client.next();
                    assertEquals(BinaryRecords.TYPE_QUOTE, quote.type);
                    assertFalse(quote.snapshot, "live quotes carry no snapshot flag");
                    assertEquals(0, quote.conflated);
                    final Long previous = lastSeq.put(quote.symbol, quote.seq);
                    assertTrue(previous == null || quote.seq > previous, "seq increases per symbol");
                    feed.assertPublished(quote);
                    live++;
                }
                // the snapshot is the state before the next quote the client gets: no gap, no duplicate
                assertEquals(40 + (2 - snapshot.seq), live, "every quote after the snapshot, once");
                assertEquals(0, client.textFrames, "nothing but binary frames on ticker.v1.binary");
            }
        }
    }

    @Test
    void shouldReplayWhatAResumingClientMissedAsRecordsFlaggedReplayedThenGoLive() throws Exception {
        try (TickerServer server = quietServer()) {
            final Publisher feed = new Publisher(server.ingest());
            final String subscribe = "{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0)
                + "\",\"" + server.universe().symbol(1) + "\"]";
            feed.publish(0);
            SlowConsumerIT.waitUntil(() -> server.quotesPublished() == 1, Duration.ofSeconds(5));
            final Object epoch;
            final long since;
            try (BinaryClient client = BinaryClient.connect(server.port())) {
                client.ws.sendText(subscribe + ",\"id\":\"b1\"}");
                epoch = client.nextEvent().get("epoch");
                final Record snapshot = client.next();
                assertTrue(snapshot.snapshot);
                since = snapshot.seq;
            }
            // While the client is away, seq 1 to 9 go to symbols 1, 2, 0, 1, 2, 0, ...: symbol 2 is not subscribed.
            for (int i = 1; i < 10; i++) {
                feed.publish(i % 3);
            }
            SlowConsumerIT.waitUntil(() -> server.quotesPublished() == 10, Duration.ofSeconds(5));

            try (BinaryClient client = BinaryClient.connect(server.port())) {
                client.ws.sendText(subscribe + ",\"since\":" + since + ",\"epoch\":" + epoch + ",\"id\":\"b2\"}");
                final Map<?, ?> ack = client.nextEvent();
                assertEquals("subscribed", ack.get("type"), ack.toString());
                assertEquals(true, ack.get("recovered"), ack.toString());
                for (final long seq : new long[] {1, 3, 4, 6, 7, 9}) {
                    final Record quote = client.next();
                    assertEquals(BinaryRecords.TYPE_QUOTE, quote.type);
                    assertEquals(seq, quote.seq, "every missed update of the two symbols, in seq order, once");
                    assertTrue(quote.replayed, "flag bit 1 on a replayed record, seq " + seq);
                    assertFalse(quote.snapshot, "no snapshot after recovered:true");
                    assertEquals(0, quote.conflated);
                    feed.assertPublished(quote);
                }
                feed.publish(1);
                final Record live = client.next();
                assertEquals(10, live.seq, "the live stream follows the replay with no gap");
                assertFalse(live.replayed, "a live record carries no replayed flag");
                assertFalse(live.snapshot);
                feed.assertPublished(live);
                assertEquals(0, client.textFrames);
            }
        }
    }

    @Test
    void shouldAnswerCommandsWithEventRecordsAndStayOpen() throws Exception {
        try (TickerServer server = quietServer();
             BinaryClient client = BinaryClient.connect(server.port())) {
            client.ws.sendText("{\"op\":\"ping\",\"id\":7}");
            assertEquals(Map.of("type", "pong", "id", new java.math.BigDecimal("7")), Map.copyOf(
                withoutTs(client.nextEvent())));
            client.ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"NOPE\"],\"id\":\"e1\"}");
            final Map<?, ?> error = client.nextEvent();
            assertEquals("error", error.get("type"));
            assertEquals("UNKNOWN_SYMBOL", error.get("code"));
            assertEquals("e1", error.get("id"));
            client.ws.sendText("{\"op\":\"list\",\"id\":\"l1\"}");
            final Map<?, ?> list = client.nextEvent();
            assertEquals("symbols", list.get("type"));
            assertEquals(server.universe().symbols(), list.get("symbols"));
            client.ws.sendText("not json");
            assertEquals("BAD_REQUEST", client.nextEvent().get("code"));
            assertEquals(0, client.textFrames);
        }
    }

    @Test
    void shouldRefuseABinaryFrameFromTheClientOnTheBinarySubprotocolToo() throws Exception {
        try (TickerServer server = quietServer();
             BinaryClient client = BinaryClient.connect(server.port())) {
            client.ws.sendFrame(RawWebSocket.OP_BINARY, new byte[] {1, 2, 3}, true);
            assertEquals(CloseCodes.UNSUPPORTED_DATA, client.ws.readUntilClose());
        }
    }

    @Test
    void shouldAccountForEveryUpdateInConflatedRecordsWhenAStalledClientCatchesUp() throws Exception {
        final int updates = 50_000;
        try (TickerServer server = quietServer();
             BinaryClient client = BinaryClient.connect(server.port(), 4096)) {
            final Publisher feed = new Publisher(server.ingest());
            client.ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            assertEquals("subscribed", client.nextEvent().get("type"));

            // The client reads nothing meanwhile: its socket fills and the server conflates.
            for (int i = 0; i < updates; i++) {
                feed.publish(0);
                if (i % 200 == 199) {
                    // many ring batches, so that some arrive while a frame is stuck
                    Thread.sleep(1);
                }
            }
            SlowConsumerIT.waitUntil(() -> server.quotesConflated() > 0, Duration.ofSeconds(10));

            long accounted = 0;
            long conflatedRecords = 0;
            long lastSeq = -1;
            while (lastSeq < updates - 1) {
                final Record quote = client.next();
                assertEquals(BinaryRecords.TYPE_QUOTE, quote.type);
                assertTrue(quote.seq > lastSeq, "seq increases");
                lastSeq = quote.seq;
                feed.assertPublished(quote);
                accounted += 1 + quote.conflated;
                if (quote.conflated > 0) {
                    conflatedRecords++;
                }
            }
            assertEquals(updates, accounted, "delivered + conflated = published");
            assertTrue(conflatedRecords > 0, "some records carry a conflated count");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "undertow"})
    void shouldSendAFirehoseSnapshotPast64KiBAsWholeRecordsOnEitherWritePath(final String path) throws Exception {
        final int symbols = 2000;
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(symbols)
            .ratePerSecond(20_000).pingIntervalMs(60_000).directWrites("direct".equals(path)));
             BinaryClient client = BinaryClient.connect(server.port())) {
            // let every symbol trade once or more, so each has a snapshot
            SlowConsumerIT.waitUntil(() -> server.quotesPublished() > 40_000, Duration.ofSeconds(20));
            client.ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            assertEquals("subscribed", client.nextEvent().get("type"));
            final java.util.Set<String> snapshotted = new java.util.HashSet<>();
            while (true) {
                final Record record = client.next();
                if (!record.snapshot) {
                    break;
                }
                assertTrue(snapshotted.add(record.symbol), "one snapshot per symbol: " + record.symbol);
            }
            assertTrue(snapshotted.size() > symbols * 9 / 10, "snapshots of the traded symbols: " + snapshotted.size());
            assertTrue(client.largestFrame > 65_535, "a frame past 64 KiB: " + client.largestFrame);
            assertEquals(0, client.textFrames);
        }
    }

    private static TickerServer quietServer() {
        return TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(10).embeddedFeed(false)
            .pingIntervalMs(60_000));
    }

    private static void assertNegotiated(
        final TickerServer server, final String offer, final String expected, final int dataOpcode)
        throws IOException {
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(), upgrade(offer), 0)) {
            assertEquals(101, ws.status, "offer " + offer);
            assertEquals(expected, ws.headers.get("sec-websocket-protocol"), "offer " + offer);
            ws.sendText("{\"op\":\"ping\"}");
            RawWebSocket.Frame frame;
            do {
                frame = ws.readFrame();
            } while (frame != null && frame.opcode() != RawWebSocket.OP_TEXT
                && frame.opcode() != RawWebSocket.OP_BINARY);
            assertEquals(dataOpcode, frame.opcode(), "offer " + offer);
        }
    }

    private static String upgrade(final String offer) {
        final String request = RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==");
        return offer == null ? request
            : request.replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: " + offer + "\r\n\r\n");
    }

    private static Map<?, ?> withoutTs(final Map<?, ?> event) {
        final Map<Object, Object> copy = new HashMap<>(event);
        assertTrue(copy.remove("ts") instanceof Number, "a pong carries the server's ts");
        return copy;
    }

    /** Publishes quotes into the ring from the test thread and remembers each by its seq (the ring's order). */
    private static final class Publisher {
        private final QuoteSink ingest;
        private final List<Quote> published = new ArrayList<>();
        private final int[] updatesBySymbol = new int[10];

        Publisher(final QuoteSink ingest) {
            this.ingest = ingest;
        }

        void publish(final int symbolId) {
            final Quote quote = TestQuotes.fill(new Quote(), symbolId, updatesBySymbol[symbolId]++);
            published.add(quote);
            ingest.onQuote(quote);
        }

        /** The record carries every field of the quote published under its seq. */
        void assertPublished(final Record record) {
            final Quote quote = published.get((int) record.seq);
            assertEquals(quote.bid, record.quote.bid, "bid");
            assertEquals(quote.ask, record.quote.ask, "ask");
            assertEquals(quote.last, record.quote.last, "last");
            assertEquals(quote.bidSize, record.quote.bidSize, "bidSize");
            assertEquals(quote.askSize, record.quote.askSize, "askSize");
            assertEquals(quote.lastSize, record.quote.lastSize, "lastSize");
            assertEquals(quote.volume, record.quote.volume, "volume");
            assertEquals(quote.timestampMicros, record.quote.timestampMicros, "ts");
        }
    }

    /** One record as read, copied out of its frame. */
    private record Record(byte type, boolean snapshot, boolean replayed, String symbol, long seq, long conflated,
        Quote quote, String json) {
    }

    /** A raw WebSocket that offered both subprotocols (binary first) and reads binary frames as records. */
    private static final class BinaryClient implements AutoCloseable {
        private final RawWebSocket ws;
        private final BinaryRecordReader reader = new BinaryRecordReader();
        private final ArrayDeque<Record> pending = new ArrayDeque<>();
        private int textFrames;
        private int largestFrame;

        private BinaryClient(final RawWebSocket ws) {
            this.ws = ws;
        }

        static BinaryClient connect(final int port) throws IOException {
            return connect(port, 0);
        }

        static BinaryClient connect(final int port, final int receiveBufferBytes) throws IOException {
            final RawWebSocket ws = RawWebSocket.handshake(port, upgrade(BOTH_BINARY_FIRST), receiveBufferBytes);
            assertEquals(101, ws.status);
            assertEquals(Subprotocols.BINARY, ws.headers.get("sec-websocket-protocol"));
            return new BinaryClient(ws);
        }

        /** The next record, reading frames as needed. */
        Record next() throws IOException {
            while (pending.isEmpty()) {
                final RawWebSocket.Frame frame = ws.readFrame();
                if (frame == null) {
                    throw new IOException("connection closed");
                }
                if (frame.opcode() == RawWebSocket.OP_TEXT) {
                    textFrames++;
                } else if (frame.opcode() == RawWebSocket.OP_BINARY) {
                    assertTrue(frame.fin(), "one frame per message");
                    largestFrame = Math.max(largestFrame, frame.payload().length);
                    reader.wrap(frame.payload(), 0, frame.payload().length);
                    while (reader.hasNext()) {
                        pending.add(copy(reader.next()));
                    }
                } else if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                    throw new IOException("closed by server: " + frame.closeCode());
                }
            }
            return pending.poll();
        }

        Map<?, ?> nextEvent() throws IOException {
            final Record record = next();
            assertEquals(BinaryRecords.TYPE_EVENT, record.type);
            return (Map<?, ?>) JsonParser.parse(record.json);
        }

        private Record copy(final byte type) {
            if (type == BinaryRecords.TYPE_EVENT) {
                return new Record(type, false, false, null, -1, 0, null, reader.eventJson());
            }
            return new Record(type, reader.isSnapshot(), reader.isReplayed(), reader.symbol(), reader.seq(),
                reader.conflated(), reader.decodeQuote(new Quote()), null);
        }

        @Override
        public void close() throws IOException {
            ws.close();
        }
    }
}
