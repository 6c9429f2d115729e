package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad commands get the right error event and the connection keeps working. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BadInputIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static TickerServer server;

    @BeforeAll
    static void start() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(500).symbols(20)
            .maxMessageSizeBytes(1024));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAnswerEachBadCommandWithAnErrorAndKeepTheConnection() throws Exception {
        try (TickerClient client = TickerClient.connect(server.port())) {
            assertError(client, "{not json", "BAD_REQUEST", null);
            assertError(client, "{\"op\":\"buy\",\"id\":\"b1\"}", "BAD_REQUEST", "b1");
            assertError(client, "{\"op\":\"subscribe\",\"symbols\":\"AAPL\",\"id\":\"b2\"}", "BAD_REQUEST", "b2");
            assertError(client, "{\"op\":\"subscribe\",\"symbols\":[42],\"id\":\"b3\"}", "BAD_REQUEST", "b3");
            assertError(client, "{\"op\":\"subscribe\",\"symbols\":[\"NOSUCH\"],\"id\":\"b4\"}", "UNKNOWN_SYMBOL",
                "b4");
            assertError(client, "[]", "BAD_REQUEST", null);

            client.send("{\"op\":\"ping\",\"id\":\"still-here\"}");
            final Map<String, Object> pong = client.next(WAIT);
            assertEquals("pong", pong.get("type"));
            assertEquals("still-here", pong.get("id"));

            final String symbol = server.universe().symbol(0);
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"id\":\"ok\"}");
            assertEquals("subscribed", client.next(WAIT).get("type"));
            client.await(e -> "quote".equals(e.get("type")) && !Boolean.TRUE.equals(e.get("snapshot")), WAIT);
        }
    }

    @Test
    void shouldSubscribeTheKnownSymbolsAndReportTheUnknownOnes() throws Exception {
        final String known = server.universe().symbol(1);
        try (TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + known + "\",\"ZZZZZZ\"],\"id\":\"mix\"}");
            final List<Map<String, Object>> events = List.of(client.next(WAIT), client.next(WAIT));
            final Map<String, Object> ack = events.stream().filter(e -> "subscribed".equals(e.get("type")))
                .findFirst().orElseThrow();
            assertEquals(List.of(known), ack.get("symbols"));
            final Map<String, Object> error = events.stream().filter(e -> "error".equals(e.get("type")))
                .findFirst().orElseThrow();
            assertEquals("UNKNOWN_SYMBOL", error.get("code"));
            assertTrue(error.get("message").toString().contains("ZZZZZZ"));
        }
    }

    @Test
    void shouldAnswerBadRequestToNumbersWhoseExponentOverflowsAndKeepServing() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            for (final String command : List.of("{\"op\":\"ping\",\"id\":1e2147483648}",
                "{\"op\":\"subscribe\",\"symbols\":[\"A\"],\"x\":[1E-2147483649]}", "9e99999999999999999999")) {
                ws.sendText(command);
                final String answer = ws.readText();
                assertTrue(answer.contains("\"type\":\"error\"") && answer.contains("\"BAD_REQUEST\""),
                    command + " -> " + answer);
            }
            ws.sendText("{\"op\":\"ping\",\"id\":\"after\"}");
            assertTrue(ws.readText().contains("\"after\""), "the connection keeps working");
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldCloseWith1009WhenAMessageExceedsTheMaximumSize() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            ws.sendText("{\"op\":\"ping\",\"id\":\"" + "x".repeat(2048) + "\"}");
            assertEquals(1009, ws.readUntilClose());
        }
    }

    @Test
    void shouldCloseWith1003WhenABinaryFrameArrivesOnTheJsonProtocol() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            ws.sendFrame(RawWebSocket.OP_BINARY, new byte[] {1, 2, 3}, true);
            assertEquals(1003, ws.readUntilClose());
        }
    }

    private static void assertError(final TickerClient client, final String command, final String code,
        final String id) throws InterruptedException {
        client.send(command);
        final Map<String, Object> error = client.next(WAIT);
        assertEquals("error", error.get("type"), command);
        assertEquals(code, error.get("code"), command);
        assertEquals(id, error.get("id"), command);
        assertTrue(!error.get("message").toString().isBlank(), "a message a person can act on");
    }
}
