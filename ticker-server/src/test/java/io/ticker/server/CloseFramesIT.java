package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Close frames as RFC 6455 has them, on both send paths: the direct sink (no extension) and Undertow's (with
 * permessage-deflate). A reserved code (1005, 1006, 1015) never goes on the wire, and a connection gets one close
 * frame, never two.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseFramesIT {
    private static final String DEFLATE_OFFER =
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n";
    private static final int MAX_MESSAGE_BYTES = 1024;
    private static TickerServer plain;
    private static TickerServer compressing;

    @BeforeAll
    static void start() {
        plain = TickerServer.start(config());
        compressing = TickerServer.start(config().compression(true));
    }

    private static ServerConfig config() {
        return new ServerConfig().host("127.0.0.1").port(0).symbols(10).ratePerSecond(100)
            .maxMessageSizeBytes(MAX_MESSAGE_BYTES).pingIntervalMs(60_000);
    }

    @AfterAll
    static void stop() {
        plain.close();
        compressing.close();
    }

    @Test
    void shouldAnswerAnEmptyCloseOverDeflateWithAnEmptyCloseOrNormalClosure() throws Exception {
        try (RawWebSocket ws = deflate(compressing)) {
            ws.sendFrame(RawWebSocket.OP_CLOSE, new byte[0], true);
            final List<RawWebSocket.Frame> closes = closeFramesUntilEnd(ws);
            assertEquals(1, closes.size(), "one close frame");
            final byte[] payload = closes.get(0).payload();
            assertTrue(payload.length == 0 || closes.get(0).closeCode() == 1000,
                "an empty close or 1000, never 1005: got code " + closes.get(0).closeCode() + " in "
                    + payload.length + " bytes");
        }
    }

    @Test
    void shouldAnswerAnEmptyCloseWithAnEmptyCloseWithoutExtensions() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(plain.port())) {
            ws.sendFrame(RawWebSocket.OP_CLOSE, new byte[0], true);
            final List<RawWebSocket.Frame> closes = closeFramesUntilEnd(ws);
            assertEquals(1, closes.size(), "one close frame");
            assertEquals(0, closes.get(0).payload().length, "an empty close answers an empty close");
        }
    }

    @Test
    void shouldEchoTheClientsCodeOverDeflate() throws Exception {
        try (RawWebSocket ws = deflate(compressing)) {
            ws.sendFrame(RawWebSocket.OP_CLOSE, new byte[] {0x03, (byte) 0xE8}, true);
            final List<RawWebSocket.Frame> closes = closeFramesUntilEnd(ws);
            assertEquals(1, closes.size(), "one close frame");
            assertEquals(1000, closes.get(0).closeCode());
        }
    }

    @Test
    void shouldSendOneCloseWhenAnOversizedMessageGoesOnWithInvalidUtf8() throws Exception {
        for (final TickerServer server : List.of(plain, compressing)) {
            try (RawWebSocket ws = server == plain ? RawWebSocket.connect(server.port()) : deflate(server)) {
                ws.sendFrame(RawWebSocket.OP_TEXT,
                    "x".repeat(MAX_MESSAGE_BYTES + 100).getBytes(StandardCharsets.US_ASCII), false);
                final RawWebSocket.Frame first = nextClose(ws);
                assertNotNull(first, "a close for the oversized message");
                assertEquals(1009, first.closeCode());
                // The rest of the message, not UTF-8: Undertow's own check fails it after our close went out.
                ws.sendFrame(0x0, new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, true);
                final List<RawWebSocket.Frame> more = closeFramesUntilEnd(ws);
                assertEquals(List.of(), codes(more), "no second close frame after 1009");
            }
        }
    }

    private static RawWebSocket deflate(final TickerServer server) throws IOException {
        final RawWebSocket ws = RawWebSocket.handshake(server.port(),
            RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==", DEFLATE_OFFER), 0);
        assertEquals(101, ws.status);
        assertTrue(String.valueOf(ws.headers.get("sec-websocket-extensions")).contains("permessage-deflate"),
            "deflate negotiated: " + ws.headers);
        return ws;
    }

    private static RawWebSocket.Frame nextClose(final RawWebSocket ws) throws IOException {
        RawWebSocket.Frame frame;
        while ((frame = ws.readFrame()) != null) {
            if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                return frame;
            }
        }
        return null;
    }

    /** Every close frame until the server ends the connection (or 5 s pass with nothing more). */
    private static List<RawWebSocket.Frame> closeFramesUntilEnd(final RawWebSocket ws) throws IOException {
        ws.setReadTimeoutMillis(5_000);
        final List<RawWebSocket.Frame> closes = new ArrayList<>();
        try {
            RawWebSocket.Frame frame;
            while ((frame = ws.readFrame()) != null) {
                if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                    closes.add(frame);
                }
            }
        } catch (final SocketTimeoutException | java.io.EOFException | java.net.SocketException e) {
            // the end: nothing more came, or the server dropped the connection
        }
        return closes;
    }

    private static List<Integer> codes(final List<RawWebSocket.Frame> closes) {
        return closes.stream().map(RawWebSocket.Frame::closeCode).toList();
    }
}
