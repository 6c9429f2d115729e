package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both write paths, direct (frames written straight to the socket) and Undertow's send API, framed byte for byte as
 * RFC 6455 says, read by a client that parses every header itself: large frames with 16- and 64-bit lengths, pongs
 * echoing the ping's payload, the close handshake from either side, and control frames queued behind a frame the
 * client is slow to take.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WritePathIT {
    private static final Pattern QUOTE = Pattern.compile("\"symbol\":\"([A-Z.]+)\",\"seq\":(\\d+)");
    private static final Map<String, TickerServer> SERVERS = new HashMap<>();

    @BeforeAll
    static void start() {
        for (final String path : new String[] {"direct", "undertow"}) {
            SERVERS.put(path, TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(2000)
                .ratePerSecond(4000).pingIntervalMs(500).directWrites("direct".equals(path))));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TickerServer::close);
    }

    private static int port(final String path) {
        return SERVERS.get(path).port();
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "undertow"})
    void shouldFrameASnapshotOfEverySymbolWithA64BitLength(final String path) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port(path))) {
            ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            // Ack and snapshot may share a frame or not; the snapshot of 2,000 symbols is well over 64 KiB either way.
            int largest = 0;
            int snapshots = 0;
            while (snapshots < 1500) {
                final RawWebSocket.Frame frame = ws.readFrame();
                assertNotNull(frame, "connection ended");
                if (frame.opcode() != RawWebSocket.OP_TEXT) {
                    continue;
                }
                final String text = frame.text();
                assertTrue(text.startsWith("[") && text.endsWith("]"), "one whole JSON array per frame");
                largest = Math.max(largest, frame.payload().length);
                snapshots += count(text, "\"snapshot\":true");
            }
            assertTrue(largest > 65_535, "a frame past 64 KiB, so the 8-byte length was used: " + largest);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "undertow"})
    void shouldAnswerAPingWithItsPayloadBetweenQuoteFrames(final String path) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port(path))) {
            ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            final byte[] payload = "are you there?".getBytes(StandardCharsets.US_ASCII);
            ws.sendFrame(RawWebSocket.OP_PING, payload, true);
            while (true) {
                final RawWebSocket.Frame frame = ws.readFrame();
                assertNotNull(frame, "connection ended before the pong");
                if (frame.opcode() == RawWebSocket.OP_PONG) {
                    assertArrayEquals(payload, frame.payload());
                    return;
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "undertow"})
    void shouldEchoTheClientsCloseCodeAndEndTheConnection(final String path) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(port(path))) {
            ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            ws.sendFrame(RawWebSocket.OP_CLOSE, new byte[] {0x0F, (byte) 0xA0, 'b', 'y', 'e'}, true);
            assertEquals(4000, ws.readUntilClose(), "the close answered with the client's code");
            assertEquals(-1, ws.readUntilClose(), "and then the TCP connection ends");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "undertow"})
    void shouldKeepFramesWholeAndInOrderWhenTheClientFallsBehind(final String path) throws Exception {
        // A small receive buffer and a pause fill the socket, so frames and pings queue behind a partial write.
        try (RawWebSocket ws = RawWebSocket.connect(port(path), 4096)) {
            ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            Thread.sleep(1_000);
            final Map<String, Long> lastSeq = new HashMap<>();
            int quotes = 0;
            int pings = 0;
            final long until = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < until) {
                final RawWebSocket.Frame frame = ws.readFrame();
                assertNotNull(frame, "connection ended");
                if (frame.opcode() == RawWebSocket.OP_PING) {
                    pings++;
                    ws.sendFrame(RawWebSocket.OP_PONG, frame.payload(), true);
                    continue;
                }
                assertEquals(RawWebSocket.OP_TEXT, frame.opcode(), "only text, ping and pong frames");
                final String text = frame.text();
                assertTrue(text.startsWith("[") && text.endsWith("]"), "a whole JSON array: " + head(text));
                final Matcher quote = QUOTE.matcher(text);
                while (quote.find()) {
                    final long seq = Long.parseLong(quote.group(2));
                    final Long previous = lastSeq.put(quote.group(1), seq);
                    assertTrue(previous == null || seq > previous, "seq increases per symbol: " + quote.group(1));
                    quotes++;
                }
            }
            assertTrue(quotes > 1000, "quotes kept flowing: " + quotes);
            assertTrue(pings > 0, "pings went out between the frames");
        }
    }

    private static int count(final String text, final String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private static String head(final String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
