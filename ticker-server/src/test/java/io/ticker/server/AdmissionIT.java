package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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
