package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults a real network produces: resets, mass disconnects, silent peers. The server sheds them and serves on. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldShedClientsResetMidMessageAndMidStream() throws Exception {
        try (TickerServer server = start(new ServerConfig().ratePerSecond(5000));
             TickerClient healthy = TickerClient.connect(server.port())) {
            healthy.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            healthy.await(e -> "subscribed".equals(e.get("type")), WAIT);
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            for (int i = 0; i < 50; i++) {
                final RawWebSocket ws = RawWebSocket.connect(server.port());
                if (i % 2 == 0) {
                    // Half a frame: a header promising 100 bytes, then 10 of them, then a reset.
                    ws.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 100), 1, 2, 3, 4, 'a', 'b', 'c', 'd', 'e',
                        'f', 'g', 'h', 'i', 'j'});
                } else {
                    // A firehose reader reset while the server is writing to it.
                    ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                    ws.readText();
                }
                ws.reset();
            }
            baseline.assertRestored(WAIT);
            healthy.drain();
            healthy.await(e -> "quote".equals(e.get("type")), WAIT);
        }
    }

    @Test
    void shouldRecoverWhenTwoThousandClientsDropAtOnce() throws Exception {
        final int clients = 2_000;
        try (TickerServer server = start(new ServerConfig().ratePerSecond(2000).handshakeTimeoutMs(30_000));
             TickerClient healthy = TickerClient.connect(server.port())) {
            healthy.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            healthy.await(e -> "subscribed".equals(e.get("type")), WAIT);
            healthy.drain();
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            final List<SocketChannel> sockets = new ArrayList<>(clients);
            final byte[] upgrade = RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==")
                .replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1:" + server.port() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int i = 0; i < clients; i++) {
                    final SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1",
                        server.port()));
                    channel.write(ByteBuffer.wrap(upgrade));
                    sockets.add(channel);
                }
                SlowConsumerIT.waitUntil(() -> server.connections() >= clients + 1, WAIT);
            } finally {
                for (final SocketChannel channel : sockets) {
                    channel.socket().setSoLinger(true, 0);
                    channel.close();
                }
            }
            // The healthy client queues every quote it receives in this JVM's heap; drop that backlog before
            // the server's heap is compared with the baseline.
            healthy.drain();
            baseline.assertRestored(WAIT);
            assertEquals(1, server.connections(), "only the healthy client is left");
            healthy.drain();
            final Map<String, Object> quote = healthy.await(e -> "quote".equals(e.get("type")), WAIT);
            assertTrue(((Number) quote.get("seq")).longValue() > 0);
        }
    }

    @Test
    void shouldCloseAClientThatAnswersNoPingsAfterThreeIntervals() throws Exception {
        try (TickerServer server = start(new ServerConfig().ratePerSecond(100).pingIntervalMs(300))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            // Taken before the upgrade, where the server's silence clock starts: elapsed never understates the silence.
            final long start = System.nanoTime();
            int pings = 0;
            int closeCode;
            try (RawWebSocket silent = RawWebSocket.connect(server.port())) {
                while (true) {
                    final RawWebSocket.Frame frame = silent.readFrame();
                    if (frame == null) {
                        closeCode = -1;
                        break;
                    }
                    if (frame.opcode() == RawWebSocket.OP_PING) {
                        pings++;
                    } else if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                        closeCode = frame.closeCode();
                        break;
                    }
                }
            }
            final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1008, closeCode);
            assertTrue(pings >= 1, "pinged before giving up: " + pings);
            assertTrue(elapsedMs >= 800 && elapsedMs < 5_000, "after about three intervals: " + elapsedMs + " ms");
            baseline.assertRestored(WAIT);
        }
    }

    private static TickerServer start(final ServerConfig config) {
        return TickerServer.start(config.host("127.0.0.1").port(0).symbols(100));
    }
}
