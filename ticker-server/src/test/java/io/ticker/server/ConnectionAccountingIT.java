package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every connection is counted once and released on every path: a reset before, during or after the 101 leaves no
 * slot taken and no connection counted, so the caps keep admitting real clients.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionAccountingIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void shouldReleaseEverySlotWhenClientsResetStraightAfterTheirUpgradeRequest() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(200).symbols(20).maxConnections(50).maxConnectionsPerAddress(0).connectRatePerAddress(0))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            final byte[] request = RawWebSocket.upgradeRequest("/ws", "13", KEY)
                .replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1:" + server.port() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 2_000; i++) {
                resetAfter(server.port(), request);
            }
            awaitNoConnections(server);
            baseline.assertRestored(WAIT);
            assertTrue(get(server, "/health").contains("\"connections\":0"), "/health counts what is open");
            assertTrue(get(server, "/metrics").contains("\nticker_connections 0\n"), "/metrics counts what is open");

            final List<RawWebSocket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    clients.add(RawWebSocket.connect(server.port()));
                }
                // A client holds its 101 a moment before the server's endpoint counts it: wait, bounded.
                final long deadline = System.nanoTime() + WAIT.toNanos();
                while (server.connections() < 50 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(50, server.connections(), "all 50 real clients admitted");
            } finally {
                for (final RawWebSocket client : clients) {
                    client.close();
                }
            }
            awaitNoConnections(server);
        }
    }

    @Test
    void shouldReleaseTheSlotWhenAClientResetsAfterReadingThe101() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(200).symbols(20).maxConnections(5))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            for (int i = 0; i < 20; i++) {
                RawWebSocket.connect(server.port()).reset();
            }
            awaitNoConnections(server);
            baseline.assertRestored(WAIT);
        }
    }

    /** Waits until the server counts no connection and holds no slot, failing with both counts. */
    static void awaitNoConnections(final TickerServer server) throws InterruptedException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (server.connections() != 0 || server.connectionSlotsTaken() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + WAIT + ": connections " + server.connections() + ", slots taken "
                    + server.connectionSlotsTaken());
            }
            Thread.sleep(20);
        }
    }

    private static String get(final TickerServer server, final String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sends an upgrade request and resets the connection at once, without waiting for any answer. */
    private static void resetAfter(final int port, final byte[] request) throws IOException {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.getOutputStream().write(request);
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
