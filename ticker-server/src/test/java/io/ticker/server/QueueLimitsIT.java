package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.server.fanout.FanoutSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The memory a client that does not read can make the server hold: its queued output is capped per connection and
 * in all, it is closed with 1008 past either, and its memory, heap and kernel, is freed at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueLimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String LIST = "{\"op\":\"list\"}";
    private static final int SMALL_RECEIVE_BUFFER_BYTES = 4096;
    private static final String UPGRADE = RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==");

    @Test
    void shouldClose1008AndFreeAClientWhoseRepliesQueuePastTheCap() throws Exception {
        try (TickerServer server = start(new ServerConfig().maxQueuedBytesPerConnection(256 * 1024))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            try (RawWebSocket flooder = RawWebSocket.connect(server.port(), SMALL_RECEIVE_BUFFER_BYTES)) {
                for (int i = 0; i < 40; i++) {
                    flooder.sendText(LIST);
                }
                SlowConsumerIT.waitUntil(() -> server.queueLimitClosed() == 1, WAIT);
                // A client that reads within the close's grace period gets everything queued before it, then 1008.
                assertEquals(1008, flooder.readUntilClose());
            }
            assertEquals(0, server.queuedBytes(), "nothing left accounted");
            baseline.assertRestored(WAIT);
        }
    }

    @Test
    void shouldResetANonReaderSoItsSocketHoldsNoKernelMemoryAfterTheClose() throws Exception {
        try (TickerServer server = start(new ServerConfig().maxQueuedBytesPerConnection(256 * 1024))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            try (RawWebSocket flooder = RawWebSocket.connect(server.port(), SMALL_RECEIVE_BUFFER_BYTES)) {
                for (int i = 0; i < 40; i++) {
                    flooder.sendText(LIST);
                }
                SlowConsumerIT.waitUntil(() -> server.queueLimitClosed() == 1, WAIT);
                // The client keeps its socket and never reads: a FIN close would leave the server's end orphaned,
                // holding its unsent output against a zero window; a reset leaves nothing on the server's port.
                awaitNoServerSockets(server.port());
                assertEquals(0, server.connections());
            }
            baseline.assertRestored(WAIT);
        }
    }

    @Test
    void shouldRefuseUpgradesWith503AndCloseTheLargestWhileOverTheServerBudget() throws Exception {
        try (TickerServer server = start(new ServerConfig().maxQueuedBytesPerConnection(4L * 1024 * 1024)
            .maxQueuedBytesTotal(512 * 1024))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            final List<RawWebSocket> flooders = new ArrayList<>();
            try (TickerClient healthy = TickerClient.connect(server.port())) {
                healthy.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
                for (int c = 0; c < 6; c++) {
                    final RawWebSocket flooder = RawWebSocket.connect(server.port(), SMALL_RECEIVE_BUFFER_BYTES);
                    flooders.add(flooder);
                    for (int i = 0; i < 40; i++) {
                        flooder.sendText(LIST);
                    }
                }
                SlowConsumerIT.waitUntil(() -> server.queueLimitClosed() >= 1, WAIT);
                assertTrue(server.queuedBytes() <= 512 * 1024 + 256 * 1024,
                    "held near the budget, not 6 x 40 lists: " + server.queuedBytes());
                // the healthy client reads: it is never the one closed, and its quotes keep coming
                healthy.drain();
                healthy.await(e -> "quote".equals(e.get("type")), WAIT);
            } finally {
                for (final RawWebSocket flooder : flooders) {
                    flooder.close();
                }
            }
            SlowConsumerIT.waitUntil(() -> server.connections() == 0, WAIT);
            assertEquals(0, server.queuedBytes(), "nothing left accounted");
            baseline.assertRestored(WAIT);
        }
    }

    @Test
    void shouldAnswerNewUpgrades503NearTheServerBudgetAndAdmitAgainOnceTheLargestIsClosed() throws Exception {
        final long budget = 128 * 1024;
        final double refusedAbove = budget * FanoutSettings.QUEUED_BYTES_UPGRADE_REFUSAL_SHARE;
        // One IO thread: its shard's share is the whole budget. A list answer (about 18 KB) is a smaller step than
        // the band between the refusal and the budget, so the queue comes to rest inside it.
        try (TickerServer server = start(new ServerConfig().ioThreads(1).maxQueuedBytesPerConnection(4L * 1024 * 1024)
            .maxQueuedBytesTotal(budget))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            try (RawWebSocket flooder = RawWebSocket.connect(server.port(), SMALL_RECEIVE_BUFFER_BYTES)) {
                final long deadline = System.nanoTime() + WAIT.toNanos();
                while (server.queuedBytes() <= refusedAbove && System.nanoTime() < deadline) {
                    final long before = server.queuedBytes();
                    flooder.sendText(LIST);
                    // the kernel's buffers take the first answers; then each one queues in full
                    Thread.sleep(before == 0 ? 50 : 0);
                    SlowConsumerIT.waitUntil(() -> server.queuedBytes() != before || before == 0, WAIT);
                }
                assertTrue(server.queuedBytes() > refusedAbove && server.queuedBytes() <= budget,
                    "queued " + server.queuedBytes() + " of " + budget);
                assertEquals(503, status(server));
                assertEquals(503, status(server), "still refused while nothing changed");
                // growing past the budget closes the largest at once, and its memory is freed
                for (int i = 0; i < 4; i++) {
                    flooder.sendText(LIST);
                }
                SlowConsumerIT.waitUntil(() -> server.queueLimitClosed() == 1, WAIT);
                SlowConsumerIT.waitUntil(() -> server.queuedBytes() == 0, WAIT);
                assertEquals(101, status(server), "admitted again once the budget is back");
            }
            SlowConsumerIT.waitUntil(() -> server.connections() == 0, WAIT);
            baseline.assertRestored(WAIT);
        }
    }

    /** The status of one upgrade, whose connection is closed straight after. */
    private static int status(final TickerServer server) throws IOException {
        try (RawWebSocket ws = RawWebSocket.handshake(server.port(), UPGRADE, 0)) {
            return ws.status;
        }
    }

    private static TickerServer start(final ServerConfig config) {
        // 2,000 symbols: a list answer of about 18 KB; pings far apart, so only the queue limits close anyone
        return TickerServer.start(config.host("127.0.0.1").port(0).ratePerSecond(200).symbols(2000)
            .pingIntervalMs(60_000));
    }

    /** Waits until no TCP socket but the listener has {@code port} as its local port. */
    static void awaitNoServerSockets(final int port) throws InterruptedException, IOException {
        final long deadline = System.nanoTime() + WAIT.toNanos();
        int open;
        while ((open = serverSockets(port)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(open + " server-side sockets still on port " + port);
            }
            Thread.sleep(50);
        }
    }

    private static int serverSockets(final int port) throws IOException {
        final String local = String.format(Locale.ROOT, ":%04X", port);
        int count = 0;
        for (final String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            final Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (final String line : Files.readAllLines(path)) {
                final String[] fields = line.trim().split("\\s+");
                // fields: sl local_address rem_address st ...; 0A is LISTEN
                if (fields.length > 3 && fields[1].endsWith(local) && !"0A".equals(fields[3])) {
                    count++;
                }
            }
        }
        return count;
    }
}
