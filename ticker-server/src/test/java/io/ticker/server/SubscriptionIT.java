package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.FixedPoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JSON subprotocol from a client's side: subscribe, snapshot, live quotes, unsubscribe, firehose, list, ping. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubscriptionIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TickerServer server;

    @BeforeAll
    static void start() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(2000).symbols(50));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAckThenSnapshotThenStreamLiveQuotesWithIncreasingSeq() throws Exception {
        final String busiest = server.universe().symbol(0);
        final String second = server.universe().symbol(1);
        try (TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + busiest + "\",\"" + second + "\"],\"id\":\"r1\"}");
            final Map<String, Object> ack = client.next(WAIT);
            assertEquals("subscribed", ack.get("type"));
            assertEquals("r1", ack.get("id"));
            assertEquals(List.of(busiest, second), ack.get("symbols"));
            // each symbol's reference price for the session, the fixed-point price as a JSON decimal
            final Map<?, ?> open = (Map<?, ?>) ack.get("open");
            assertEquals(Set.of(busiest, second), open.keySet(), "a reference price per symbol");
            assertEquals(0, FixedPoint.parse(open.get(busiest).toString()) - server.universe().basePrice(0),
                "reference of " + busiest + ": " + open);
            assertEquals(0, FixedPoint.parse(open.get(second).toString()) - server.universe().basePrice(1),
                "reference of " + second + ": " + open);

            final Set<Object> snapshotted = new HashSet<>();
            final Map<Object, Long> lastSeq = new HashMap<>();
            int live = 0;
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (live < 50 && System.nanoTime() < deadline) {
                final Map<String, Object> quote = client.next(WAIT);
                assertEquals("quote", quote.get("type"));
                final Object symbol = quote.get("symbol");
                assertTrue(symbol.equals(busiest) || symbol.equals(second), "unsubscribed symbol " + symbol);
                final long seq = ((Number) quote.get("seq")).longValue();
                if (Boolean.TRUE.equals(quote.get("snapshot"))) {
                    assertTrue(snapshotted.add(symbol), "one snapshot per symbol");
                    assertFalse(lastSeq.containsKey(symbol), "snapshot comes before live quotes");
                } else {
                    live++;
                }
                final Long previous = lastSeq.put(symbol, seq);
                assertTrue(previous == null || seq > previous, "seq must increase per symbol");
                assertQuoteIsWellFormed(quote);
            }
            assertEquals(Set.of(busiest, second), snapshotted, "a snapshot of each new symbol");
            assertEquals(50, live, "live quotes keep coming");
        }
    }

    @Test
    void shouldStopQuotesOfASymbolAfterItsUnsubscribeAck() throws Exception {
        final String busiest = server.universe().symbol(0);
        try (TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + busiest + "\"]}");
            client.await(e -> "quote".equals(e.get("type")) && !Boolean.TRUE.equals(e.get("snapshot")), WAIT);
            client.send("{\"op\":\"unsubscribe\",\"symbols\":[\"" + busiest + "\"],\"id\":\"r2\"}");
            final Map<String, Object> ack = client.await(e -> "unsubscribed".equals(e.get("type")), WAIT);
            assertEquals("r2", ack.get("id"));
            assertEquals(List.of(busiest), ack.get("symbols"));
            final List<Map<String, Object>> after = client.collect(Duration.ofMillis(500));
            assertTrue(after.isEmpty(), "nothing after the unsubscribe ack, got " + after.size());
        }
    }

    @Test
    void shouldStreamEverySymbolOnTheFirehoseWithASnapshotOfEach() throws Exception {
        try (TickerClient client = TickerClient.connect(server.port())) {
            // Let the feed quote most symbols first so the snapshot has something to show.
            Thread.sleep(300);
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"all\"}");
            final Map<String, Object> ack = client.next(WAIT);
            assertEquals("subscribed", ack.get("type"));
            assertEquals(List.of("*"), ack.get("symbols"));

            // right after the ack: the last quote of each symbol quoted so far, once each
            final Map<Object, Long> snapshotSeq = new HashMap<>();
            Map<String, Object> quote = client.next(WAIT);
            while (Boolean.TRUE.equals(quote.get("snapshot"))) {
                assertEquals("quote", quote.get("type"));
                assertQuoteIsWellFormed(quote);
                assertNull(snapshotSeq.put(quote.get("symbol"), seq(quote)), "one snapshot per symbol");
                quote = client.next(WAIT);
            }
            // 600 quotes over 50 symbols in 300 ms: all but a few of the least traded have one
            assertTrue(snapshotSeq.size() >= 20, "a snapshot of each symbol quoted so far: " + snapshotSeq.keySet());

            final Set<Object> symbols = new HashSet<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (symbols.size() < 20 && System.nanoTime() < deadline) {
                assertEquals("quote", quote.get("type"));
                assertFalse(Boolean.TRUE.equals(quote.get("snapshot")), "snapshots come before live quotes");
                final Long snapshot = snapshotSeq.get(quote.get("symbol"));
                assertTrue(snapshot == null || seq(quote) > snapshot, "live quotes are newer than the snapshot");
                symbols.add(quote.get("symbol"));
                quote = client.next(WAIT);
            }
            assertTrue(symbols.size() >= 20, "live quotes of many symbols, got " + symbols);
        }
    }

    private static long seq(final Map<String, Object> quote) {
        return ((Number) quote.get("seq")).longValue();
    }

    @Test
    void shouldListTheUniverseAndAnswerPingWithPong() throws Exception {
        try (TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"list\",\"id\":\"r3\"}");
            final Map<String, Object> list = client.next(WAIT);
            assertEquals("symbols", list.get("type"));
            assertEquals("r3", list.get("id"));
            assertEquals(server.universe().symbols(), list.get("symbols"));

            final long before = System.currentTimeMillis() * 1000;
            client.send("{\"op\":\"ping\",\"id\":4}");
            final Map<String, Object> pong = client.next(WAIT);
            assertEquals("pong", pong.get("type"));
            assertEquals(4, ((Number) pong.get("id")).intValue());
            final long ts = ((Number) pong.get("ts")).longValue();
            assertTrue(ts >= before - 1_000 && ts <= System.currentTimeMillis() * 1000 + 1_000, "ts in micros");
        }
    }

    static void assertQuoteIsWellFormed(final Map<String, Object> quote) {
        final double bid = ((Number) quote.get("bid")).doubleValue();
        final double ask = ((Number) quote.get("ask")).doubleValue();
        assertTrue(bid > 0 && bid < ask, "bid < ask: " + quote);
        for (final String size : List.of("bidSize", "askSize", "lastSize", "volume")) {
            assertTrue(((Number) quote.get(size)).longValue() >= 0, size);
        }
        final long ts = ((Number) quote.get("ts")).longValue();
        final long nowMicros = System.currentTimeMillis() * 1000;
        assertTrue(Math.abs(nowMicros - ts) < 60_000_000, "ts is wall-clock micros: " + ts);
        for (final String price : List.of("bid", "ask", "last")) {
            final String text = quote.get(price).toString();
            final int point = text.indexOf('.');
            assertTrue(point < 0 || text.length() - point - 1 <= 4, "at most 4 decimals: " + text);
        }
    }
}
