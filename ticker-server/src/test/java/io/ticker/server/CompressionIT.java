package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.JsonParser;
import io.ticker.protocol.Quote;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * permessage-deflate (RFC 7692) is negotiated only with {@code --compression}, and a compressing client gets exactly
 * the quotes a plain one does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CompressionIT {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final int SYMBOLS = 20;
    private static final int UPDATES = 1_000;

    @Test
    void shouldAnswerAnOfferWithoutTheExtensionWhenCompressionIsOff() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0));
             RawWebSocket ws = offer(server, "permessage-deflate; client_max_window_bits")) {
            assertEquals(101, ws.status);
            assertNull(ws.headers.get("sec-websocket-extensions"), "no extension without --compression");
        }
    }

    @Test
    void shouldNegotiateDeflateAndCompressWhenCompressionIsOn() throws Exception {
        try (TickerServer server = TickerServer.start(compressing());
             RawWebSocket ws = offer(server, "permessage-deflate; client_max_window_bits")) {
            assertEquals(101, ws.status);
            assertEquals("permessage-deflate", ws.headers.get("sec-websocket-extensions"));

            ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"],\"id\":\"c1\"}");
            final RawWebSocket.Frame frame = ws.readFrame();
            assertEquals(RawWebSocket.OP_TEXT, frame.opcode());
            assertTrue(frame.rsv1(), "the message is marked compressed");
            final Inflater inflater = new Inflater(true);
            final List<?> events = (List<?>) JsonParser.parse(inflate(inflater, frame.payload()));
            assertEquals("subscribed", ((Map<?, ?>) events.get(0)).get("type"));
            inflater.end();
        }
    }

    @Test
    void shouldDeclineAnOfferThatForbidsContextTakeoverButTakeAFallbackOffer() throws Exception {
        try (TickerServer server = TickerServer.start(compressing())) {
            try (RawWebSocket ws = offer(server, "permessage-deflate; server_no_context_takeover")) {
                assertEquals(101, ws.status);
                assertNull(ws.headers.get("sec-websocket-extensions"), "declined: the connection is plain");
            }
            try (RawWebSocket ws = offer(server, "permessage-deflate; server_max_window_bits=10")) {
                assertNull(ws.headers.get("sec-websocket-extensions"), "a 10-bit window cannot be honoured");
            }
            try (RawWebSocket ws = offer(server,
                "permessage-deflate; server_no_context_takeover, permessage-deflate; client_max_window_bits")) {
                assertEquals("permessage-deflate", ws.headers.get("sec-websocket-extensions"));
            }
            try (RawWebSocket ws = offer(server, "x-webkit-deflate-frame")) {
                assertNull(ws.headers.get("sec-websocket-extensions"), "only permessage-deflate is known");
            }
        }
    }

    @Test
    void shouldDeliverTheSameQuotesToACompressingClientAsToAPlainOne() throws Exception {
        try (TickerServer server = TickerServer.start(compressing().symbols(SYMBOLS).embeddedFeed(false));
             DeflateClient compressed = DeflateClient.connect(server.port());
             TickerClient plain = TickerClient.connect(server.port())) {
            assertTrue(compressed.negotiatedExtensions().startsWith("permessage-deflate"),
                "Netty's client got the extension: " + compressed.negotiatedExtensions());
            final String subscribe = "{\"op\":\"subscribe\",\"symbols\":[\"*\"]}";
            compressed.send(subscribe);
            plain.send(subscribe);
            assertEquals("subscribed", compressed.next(Duration.ofSeconds(10)).get("type"));
            assertEquals("subscribed", plain.next(Duration.ofSeconds(10)).get("type"));

            final Map<String, Long> published = publish(server);
            final Map<Long, Map<String, Object>> viaDeflate = quotes(compressed.collect(Duration.ofSeconds(3)));
            final Map<Long, Map<String, Object>> viaPlain = quotes(plain.collect(Duration.ofMillis(500)));

            assertAccountsForEveryUpdate(published, viaDeflate);
            assertFalse(viaPlain.isEmpty());
            for (final Map.Entry<Long, Map<String, Object>> quote : viaPlain.entrySet()) {
                final Map<String, Object> same = viaDeflate.get(quote.getKey());
                if (same != null) {
                    quote.getValue().remove(TickerClient.RECEIVED_MICROS);
                    quote.getValue().remove("conflated");
                    same.remove("conflated");
                    assertEquals(quote.getValue(), same, "seq " + quote.getKey() + " reads the same both ways");
                }
            }
        }
    }

    private static ServerConfig compressing() {
        return new ServerConfig().host("127.0.0.1").port(0).compression(true);
    }

    private static RawWebSocket offer(final TickerServer server, final String extensions) throws Exception {
        return RawWebSocket.handshake(server.port(),
            RawWebSocket.upgradeRequest("/ws", "13", KEY, "Sec-WebSocket-Extensions: " + extensions + "\r\n"), 0);
    }

    /** Inflates one message as RFC 7692 7.2.2 says: its bytes plus the empty block's tail that the sender left off. */
    private static String inflate(final Inflater inflater, final byte[] message) throws Exception {
        final byte[] input = new byte[message.length + 4];
        System.arraycopy(message, 0, input, 0, message.length);
        input[message.length + 2] = (byte) 0xFF;
        input[message.length + 3] = (byte) 0xFF;
        inflater.setInput(input);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] chunk = new byte[4096];
        int n;
        while ((n = inflater.inflate(chunk)) > 0) {
            out.write(chunk, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Publishes {@link #UPDATES} quotes round the symbols in small bursts; returns how many each symbol got. */
    private static Map<String, Long> publish(final TickerServer server) throws InterruptedException {
        final QuoteSink ingest = server.ingest();
        final Quote quote = new Quote();
        final Map<String, Long> published = new HashMap<>();
        for (int i = 0; i < UPDATES; i++) {
            ingest.onQuote(TestQuotes.fill(quote, (i * 7) % SYMBOLS, i));
            published.merge(server.universe().symbol(quote.symbolId), 1L, Long::sum);
            if (i % 50 == 49) {
                Thread.sleep(10);
            }
        }
        return published;
    }

    /** The live quotes among {@code events}, by seq. */
    private static Map<Long, Map<String, Object>> quotes(final List<Map<String, Object>> events) {
        final Map<Long, Map<String, Object>> bySeq = new HashMap<>();
        for (final Map<String, Object> event : events) {
            if ("quote".equals(event.get("type")) && event.get("snapshot") == null) {
                bySeq.put(((Number) event.get("seq")).longValue(), event);
            }
        }
        return bySeq;
    }

    /** Per symbol, seq increases and delivered plus conflated equals published. */
    private static void assertAccountsForEveryUpdate(
        final Map<String, Long> published, final Map<Long, Map<String, Object>> received) {
        final Map<String, Long> accounted = new HashMap<>();
        final Map<String, Long> lastSeq = new HashMap<>();
        received.keySet().stream().sorted().forEach(seq -> {
            final Map<String, Object> quote = received.get(seq);
            final String symbol = (String) quote.get("symbol");
            final Long previous = lastSeq.put(symbol, seq);
            assertTrue(previous == null || seq > previous);
            final long conflated = quote.containsKey("conflated") ? ((Number) quote.get("conflated")).longValue() : 0;
            accounted.merge(symbol, 1 + conflated, Long::sum);
        });
        assertEquals(published, accounted, "delivered + conflated per symbol, compressed");
    }
}
