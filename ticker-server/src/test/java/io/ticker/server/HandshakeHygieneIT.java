package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that never finish their handshake, or send too much of one, are cut off and cost nothing after. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeHygieneIT {
    private static TickerServer server;

    @BeforeAll
    static void start() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(100).symbols(10)
            .handshakeTimeoutMs(1000).maxHeaderBytes(4096));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldCloseATcpConnectionThatSendsNothing() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (Socket socket = connect()) {
            final long start = System.nanoTime();
            assertEquals(-1, readOrReset(socket.getInputStream()), "closed by the server");
            final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 500 && elapsedMs < 8_000, "after about the timeout, took " + elapsedMs + " ms");
        }
        baseline.assertRestored(Duration.ofSeconds(5));
    }

    @Test
    void shouldCloseAConnectionThatTricklesItsHeaders() throws Exception {
        try (Socket socket = connect()) {
            final OutputStream out = socket.getOutputStream();
            final byte[] request = RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==")
                .getBytes(StandardCharsets.ISO_8859_1);
            final long start = System.nanoTime();
            boolean cut = false;
            try {
                for (final byte b : request) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(100);
                    if (System.nanoTime() - start > Duration.ofSeconds(8).toNanos()) {
                        break;
                    }
                }
                socket.setSoTimeout(8_000);
                final InputStream in = socket.getInputStream();
                cut = readOrReset(in) == -1 || !new String(in.readNBytes(12), StandardCharsets.ISO_8859_1)
                    .contains("101");
            } catch (final SocketException e) {
                cut = true;
            }
            assertTrue(cut, "a handshake trickled for longer than the timeout is not completed");
        }
    }

    @Test
    void shouldRefuseOversizedHeaders() throws Exception {
        try (Socket socket = connect()) {
            final String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + "a".repeat(16_000)
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
            String answer;
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            } catch (final SocketException e) {
                answer = "";
            }
            assertTrue(!answer.contains(" 101"), "no upgrade with oversized headers, got: " + answer);
        }
    }

    @Test
    void shouldRefuseWith400AKeyThatIsNotTheBase64OfSixteenBytes() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        for (final String key : new String[] {"", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25j",
            "!!!!!!!!!!!!!!!!!!!!!!==", "dGhlIHNhbXBsZSBub25jZSE="}) {
            try (RawWebSocket ws = RawWebSocket.handshake(server.port(), RawWebSocket.upgradeRequest("/ws", "13", key),
                0)) {
                assertEquals(400, ws.status, "key '" + key + "'");
            }
        }
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            assertEquals(101, ws.status, "the RFC's sample key");
        }
        baseline.assertRestored(Duration.ofSeconds(5));
    }

    private static Socket connect() throws IOException {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static int readOrReset(final InputStream in) throws IOException {
        try {
            return in.read();
        } catch (final SocketException e) {
            return -1;
        }
    }
}
