package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP surface of PROTOCOL.md, over real sockets against a real server on an ephemeral port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSurfaceIT {
    private static TickerServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A sample line of the text exposition format: name, optional labels, a float (Go's syntax, so +Inf and NaN). */
    private static final Pattern SAMPLE_LINE = Pattern.compile(
        "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\""
            + "(,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\")*\\})? "
            + "([-+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?|[-+]Inf|NaN)");

    @BeforeAll
    static void start() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(1000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldAcceptTheRfc6455SampleHandshakeWithTheRightAcceptKey() throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(),
            RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ=="), 0)) {
            assertEquals(101, ws.status);
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ws.headers.get("sec-websocket-accept"));
            assertTrue(ws.headers.get("upgrade").equalsIgnoreCase("websocket"));
        }
    }

    @Test
    void shouldAnswerAPlainGetOnTheWebSocketPathWith426AndAReason() throws Exception {
        final HttpResponse<String> response = get("/ws");
        assertEquals(426, response.statusCode());
        assertEquals("13", response.headers().firstValue("Sec-WebSocket-Version").orElseThrow());
        assertTrue(response.body().startsWith("This endpoint speaks WebSocket only"), response.body());
        assertEquals(1, response.body().strip().lines().count(), "one-line reason");
    }

    @Test
    void shouldAnswerAnotherProtocolVersionWith426NamingVersion13() throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(),
            RawWebSocket.upgradeRequest("/ws", "8", "dGhlIHNhbXBsZSBub25jZQ=="), 0)) {
            assertEquals(426, ws.status);
            assertEquals("13", ws.headers.get("sec-websocket-version"));
        }
    }

    @Test
    void shouldRefuseAnUpgradeWithoutAKeyWith400() throws Exception {
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(), RawWebSocket.upgradeRequest("/ws", "13", null),
            0)) {
            assertEquals(400, ws.status);
        }
    }

    @Test
    void shouldListTheUniverseBusiestFirst() throws Exception {
        final HttpResponse<String> response = get("/api/symbols");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        final List<?> symbols = (List<?>) JsonParser.parse(response.body());
        assertEquals(server.universe().symbols(), symbols);
        assertEquals(500, symbols.size());
    }

    @Test
    void shouldReportHealthUpWithTheFeedMoving() throws Exception {
        final HttpResponse<String> response = get("/health");
        assertEquals(200, response.statusCode());
        final Map<?, ?> health = (Map<?, ?>) JsonParser.parse(response.body());
        assertEquals("UP", health.get("status"));
        assertEquals(500, ((Number) health.get("symbols")).intValue());
    }

    @Test
    void shouldExposePrometheusMetricsForEveryCountTheContractNames() throws Exception {
        final HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        for (final String name : List.of("ticker_connections ", "ticker_subscriptions ",
            "ticker_quotes_published_total ", "ticker_frames_sent_total ", "ticker_bytes_sent_total ",
            "ticker_quotes_conflated_total ", "ticker_ring_remaining_capacity ",
            "ticker_errors_total{code=\"BAD_REQUEST\"} ")) {
            assertTrue(response.body().contains("\n" + name), "missing " + name);
        }
        for (final String line : response.body().split("\n")) {
            assertTrue(line.startsWith("#") || SAMPLE_LINE.matcher(line).matches(), "not exposition format: " + line);
        }
    }

    @Test
    void shouldServeTheTickerPageAtTheRoot() throws Exception {
        final HttpResponse<String> response = get("/");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(response.body().toLowerCase(java.util.Locale.ROOT).contains("<html"));
    }

    private static HttpResponse<String> get(final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
