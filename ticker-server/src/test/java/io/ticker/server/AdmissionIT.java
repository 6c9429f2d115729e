package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Admission is decided before the 101: each refusal has its status and opens no WebSocket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdmissionIT {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void shouldRefuseForeignOriginsWith403AndAdmitTheSameHostAndProgramsWithoutOrigin() throws Exception {
        try (TickerServer server = start(new ServerConfig())) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            assertEquals(403, status(server, Map.of("Origin", "https://evil.example")));
            assertEquals(101, status(server, Map.of("Origin", "http://127.0.0.1:" + server.port())));
            assertEquals(101, status(server, Map.of()));
            baseline.assertRestored(Duration.ofSeconds(5));
        }
        try (TickerServer server = start(new ServerConfig().allowedOrigins(List.of("https://app.example")))) {
            assertEquals(101, status(server, Map.of("Origin", "https://app.example")));
            assertEquals(403, status(server, Map.of("Origin", "https://app.example.evil.com")));
        }
        try (TickerServer server = start(new ServerConfig().allowedOrigins(List.of("*")))) {
            assertEquals(101, status(server, Map.of("Origin", "https://anywhere.example")));
        }
    }

    @Test
    void shouldRequireAValidTokenByQueryOrBearerWhenTokensAreConfigured(@TempDir final Path dir) throws Exception {
        final Path tokens = Files.writeString(dir.resolve("tokens"), "# ops\nalpha-123\nbeta-456\n");
        try (TickerServer server = start(new ServerConfig().authTokensFile(tokens))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            assertEquals(401, status(server, Map.of()));
            assertEquals(401, status(server, "/ws?token=alpha-12", Map.of()));
            assertEquals(401, status(server, Map.of("Authorization", "Bearer gamma")));
            assertEquals(101, status(server, "/ws?token=alpha-123", Map.of()));
            assertEquals(101, status(server, Map.of("Authorization", "Bearer beta-456")));
            baseline.assertRestored(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldHoldTokenGuessingToTheFailureRateWith429AndCountAndLogEachAddress(@TempDir final Path dir)
        throws Exception {
        final Path tokens = Files.writeString(dir.resolve("tokens"), "alpha-123\n");
        final ByteArrayOutputStream log = new ByteArrayOutputStream();
        final PrintStream standardError = System.err;
        final long startNanos = System.nanoTime();
        // The server's failure log binds standard error when it starts.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (TickerServer server = start(new ServerConfig().authTokensFile(tokens).authFailureBurst(3)
            .authFailureRatePerAddress(0.1).connectRatePerAddress(1_000))) {
            System.setErr(standardError);
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            for (int i = 0; i < 3; i++) {
                assertEquals(401, status(server, "/ws?token=guess-" + i, Map.of()));
            }
            // The burst is spent: refused before the token is looked at, the right one included.
            assertEquals(429, status(server, "/ws?token=guess-3", Map.of()));
            assertEquals(429, status(server, "/ws?token=alpha-123", Map.of()));
            final String metrics = get(server, "/metrics");
            assertTrue(metrics.contains("\nticker_auth_failures_total 3\n"), metrics);
            assertTrue(metrics.contains("\nticker_connections_refused_total 2\n"), metrics);
            baseline.assertRestored(Duration.ofSeconds(5));
        } finally {
            System.setErr(standardError);
        }
        final long lines = log.toString(StandardCharsets.UTF_8).lines()
            .filter(line -> line.contains("invalid token")).count();
        final String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("from 127.0.0.1: missing or invalid token"), text);
        assertFalse(text.contains("guess-"), "never the token: " + text);
        final long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        assertTrue(lines >= 1 && lines <= 1 + seconds, lines + " lines in " + seconds + " s: " + text);
    }

    @Test
    void shouldTrustTheHostHeaderForSameHostOriginsOnlyWithoutPublicHosts() throws Exception {
        try (TickerServer server = start(new ServerConfig())) {
            // The default's consequence: a page whose own name resolves to this server (DNS rebinding) passes.
            assertEquals(101, statusAt(server, "evil.example:" + server.port(), "http://evil.example:" + server.port()));
        }
        try (TickerServer server = start(new ServerConfig().publicHosts(List.of("ticker.example", "127.0.0.1"))
            .allowedOrigins(List.of("https://app.example")))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            final String ticker = "ticker.example:" + server.port();
            assertEquals(101, statusAt(server, ticker, "http://" + ticker));
            assertEquals(101, statusAt(server, ticker, null));
            assertEquals(101, statusAt(server, "127.0.0.1:" + server.port(), "http://127.0.0.1:" + server.port()));
            assertEquals(101, statusAt(server, ticker, "https://app.example"));
            assertEquals(403, statusAt(server, "evil.example:" + server.port(), "http://evil.example:" + server.port()),
                "a Host that is no public host");
            assertEquals(403, statusAt(server, "evil.example:" + server.port(), null));
            assertEquals(403, statusAt(server, ticker, "http://evil.example:" + server.port()),
                "an Origin that is no public host, whatever Host says");
            baseline.assertRestored(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldAnswer503PastTheConnectionCapAndAdmitAgainOnceOneCloses() throws Exception {
        try (TickerServer server = start(new ServerConfig().maxConnections(3))) {
            final List<RawWebSocket> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(RawWebSocket.connect(server.port()));
            }
            assertEquals(503, status(server, Map.of()));
            open.remove(0).close();
            SlowConsumerIT.waitUntil(() -> server.connections() == 2, Duration.ofSeconds(5));
            open.add(RawWebSocket.connect(server.port()));
            for (final RawWebSocket ws : open) {
                ws.close();
            }
        }
    }

    @Test
    void shouldCapConnectionsAndTheirRatePerClientAddress() throws Exception {
        try (TickerServer server = start(new ServerConfig().maxConnectionsPerAddress(2))) {
            try (RawWebSocket first = RawWebSocket.connect(server.port());
                 RawWebSocket second = RawWebSocket.connect(server.port())) {
                assertEquals(503, status(server, Map.of()));
            }
        }
        try (TickerServer server = start(new ServerConfig().connectRatePerAddress(2))) {
            int admitted = 0;
            int tooFast = 0;
            for (int i = 0; i < 6; i++) {
                final int status = status(server, Map.of());
                admitted += status == 101 ? 1 : 0;
                tooFast += status == 429 ? 1 : 0;
            }
            assertEquals(6, admitted + tooFast, "only 101 or 429");
            assertEquals(true, tooFast >= 3, "a burst of 2, then 429: " + tooFast);
        }
    }

    @Test
    void shouldRefuseHttp10UpgradesWith400() throws Exception {
        try (TickerServer server = start(new ServerConfig());
             RawWebSocket ws = RawWebSocket.handshake(server.port(), "GET /ws HTTP/1.0\r\nHost: x\r\n"
                 + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                 + KEY + "\r\n\r\n", 0)) {
            assertEquals(400, ws.status);
        }
    }

    /** The status of one upgrade naming {@code host} in its Host header, with {@code origin} when not null. */
    private static int statusAt(final TickerServer server, final String host, final String origin) throws IOException {
        final String request = "GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n"
            + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(), request, 0)) {
            return ws.status;
        }
    }

    private static String get(final TickerServer server, final String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    private static TickerServer start(final ServerConfig config) {
        return TickerServer.start(config.host("127.0.0.1").port(0).ratePerSecond(200).symbols(20));
    }

    private static int status(final TickerServer server, final Map<String, String> headers) throws IOException {
        return status(server, "/ws", headers);
    }

    /** The status of one upgrade attempt; the connection is closed straight after. */
    private static int status(final TickerServer server, final String path, final Map<String, String> headers)
        throws IOException {
        final StringBuilder request = new StringBuilder(RawWebSocket.upgradeRequest(path, "13", KEY));
        request.setLength(request.length() - 2);
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(), request.toString(), 0)) {
            return ws.status;
        }
    }
}
