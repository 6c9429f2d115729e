package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every inbound limit on an open connection, attacked with hand-built frames, and the server unharmed after. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InboundLimitsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TickerServer server;

    @BeforeAll
    static void start() {
        server = TickerServer.start(config().maxSubscriptionsPerConnection(5));
    }

    private static ServerConfig config() {
        return new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(2000).symbols(50)
            .maxMessageSizeBytes(1024).commandRatePerSecond(5).commandBurst(10)
            .stallTimeoutMs(1500).pingIntervalMs(60_000).maxFragmentsPerMessage(16);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldCloseWith1009WhenAnOversizedMessageArrivesInManyFragments() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            final byte[] piece = "x".repeat(100).getBytes(StandardCharsets.US_ASCII);
            ws.sendFrame(RawWebSocket.OP_TEXT, piece, false);
            for (int i = 0; i < 30; i++) {
                ws.sendFrame(0x0, piece, false);
            }
            ws.sendFrame(0x0, piece, true);
            assertEquals(1009, ws.readUntilClose());
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldCloseWith1009WhenASmallMessageArrivesInTooManyFragments() throws Exception {
        assertTrue(io.ticker.server.socket.InboundMessageReader.fragmentCapAvailable(), "fragments can be counted");
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            final byte[] one = {' '};
            ws.sendFrame(RawWebSocket.OP_TEXT, one, false);
            for (int i = 0; i < 98; i++) {
                ws.sendFrame(0x0, one, false);
            }
            ws.sendFrame(0x0, one, true);
            assertEquals(1009, ws.readUntilClose(), "100 bytes, but in 100 fragments");
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldAcceptACommandInAFewFragments() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            final byte[] command = "{\"op\":\"ping\",\"id\":\"frag\"}".getBytes(StandardCharsets.US_ASCII);
            final int size = 4;
            for (int from = 0; from < command.length; from += size) {
                final int to = Math.min(command.length, from + size);
                ws.sendFrame(from == 0 ? RawWebSocket.OP_TEXT : 0x0, java.util.Arrays.copyOfRange(command, from, to),
                    to == command.length);
            }
            assertTrue(ws.readText().contains("\"frag\""), "the pong for the fragmented ping");
        }
    }

    @Test
    void shouldCloseWith1009WhenAnOversizedMessageIsTrickledInSmallWrites() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            ws.sendTrickled(RawWebSocket.OP_TEXT, "y".repeat(4000).getBytes(StandardCharsets.US_ASCII), 7);
            assertEquals(1009, ws.readUntilClose());
        }
    }

    @Test
    void shouldCloseWith1007OnInvalidUtf8() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            ws.sendFrame(RawWebSocket.OP_TEXT, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true);
            assertEquals(1007, ws.readUntilClose());
        }
    }

    @Test
    void shouldAnswerRateLimitedThenClose1008WhenTheClientKeepsFlooding() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            // One command, then its answer, then the next: the server never closes with unread input (which would
            // reset the connection and could lose the close frame), so the close code always arrives.
            boolean sawRateLimited = false;
            int code = 0;
            for (int i = 0; i < 200 && code == 0; i++) {
                ws.sendText("{\"op\":\"ping\",\"id\":" + i + "}");
                final RawWebSocket.Frame frame = ws.readFrame();
                if (frame == null) {
                    code = -1;
                } else if (frame.opcode() == RawWebSocket.OP_CLOSE) {
                    code = frame.closeCode();
                } else if (frame.opcode() == RawWebSocket.OP_TEXT && frame.text().contains("\"RATE_LIMITED\"")) {
                    sawRateLimited = true;
                }
            }
            assertTrue(sawRateLimited, "RATE_LIMITED errors before the close");
            assertEquals(1008, code);
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldRefuseSubscriptionsPastTheLimitWithSubscriptionLimit() throws Exception {
        try (TickerClient client = TickerClient.connect(server.port())) {
            final List<String> six = server.universe().symbols().subList(0, 6);
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + String.join("\",\"", six) + "\"],\"id\":\"s\"}");
            final Map<String, Object> error = client.await(e -> "error".equals(e.get("type")), WAIT);
            assertEquals("SUBSCRIPTION_LIMIT", error.get("code"));
            final Map<String, Object> ack = client.await(e -> "subscribed".equals(e.get("type")), WAIT);
            assertEquals(5, ((List<?>) ack.get("symbols")).size());
            client.send("{\"op\":\"ping\",\"id\":\"alive\"}");
            client.await(e -> "pong".equals(e.get("type")), WAIT);
        }
    }

    @Test
    void shouldCloseASubscriberThatReadsNothingAfterTheStallTimeoutAndFreeIt() throws Exception {
        // its own server: the firehose is 50 symbols, over the shared server's limit of 5 per connection
        try (TickerServer server = TickerServer.start(config())) {
            shouldCloseAStalledFirehoseSubscriber(server);
        }
    }

    @Test
    void shouldRefuseTheFirehoseWhenItWouldExceedTheSubscriptionLimit() throws Exception {
        try (TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"all\"}");
            final Map<String, Object> error = client.await(e -> "error".equals(e.get("type")), WAIT);
            assertEquals("SUBSCRIPTION_LIMIT", error.get("code"), "50 symbols against a limit of 5");
            client.send("{\"op\":\"ping\",\"id\":\"alive\"}");
            client.await(e -> "pong".equals(e.get("type")), WAIT);
        }
    }

    @Test
    void shouldCapFirehoseSubscribersServerWide() throws Exception {
        try (TickerServer capped = TickerServer.start(config().maxFirehoseSubscribers(2));
             TickerClient first = TickerClient.connect(capped.port());
             TickerClient second = TickerClient.connect(capped.port());
             TickerClient third = TickerClient.connect(capped.port())) {
            final String all = "{\"op\":\"subscribe\",\"symbols\":[\"*\"]}";
            first.send(all);
            first.await(e -> "subscribed".equals(e.get("type")), WAIT);
            second.send(all);
            second.await(e -> "subscribed".equals(e.get("type")), WAIT);
            third.send(all);
            assertEquals("SUBSCRIPTION_LIMIT", third.await(e -> "error".equals(e.get("type")), WAIT).get("code"));
            first.send("{\"op\":\"unsubscribe\",\"symbols\":[\"*\"]}");
            first.await(e -> "unsubscribed".equals(e.get("type")), WAIT);
            third.send(all);
            third.await(e -> "subscribed".equals(e.get("type")), WAIT);
            assertEquals(2, capped.firehoseSubscribers());
        }
    }

    private static void shouldCloseAStalledFirehoseSubscriber(final TickerServer server) throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        final long stalledBefore = server.stalledClosed();
        try (RawWebSocket stalled = RawWebSocket.connect(server.port(), 2048);
             TickerClient healthy = TickerClient.connect(server.port())) {
            stalled.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            healthy.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            SlowConsumerIT.waitUntil(() -> server.stalledClosed() > stalledBefore, WAIT);
            // The healthy client is untouched: its quotes keep coming after the stalled one is gone.
            healthy.drain();
            healthy.await(e -> "quote".equals(e.get("type")), WAIT);
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldNotGrowTheHeapUnderAPingFloodFromAClientThatNeverReads() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), 2048)) {
            final byte[] payload = new byte[125];
            try {
                for (int i = 0; i < 20_000; i++) {
                    ws.sendFrame(RawWebSocket.OP_PING, payload, true);
                }
            } catch (final java.io.IOException e) {
                // The server may cut a flooding client off; that is a pass too.
            }
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldClose1008AClientThatFloodsUnsolicitedPongs() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            // Unsolicited pongs need no answer (RFC 6455 5.5.3), but each is a frame to parse: past the inbound frame
            // budget the client is closed. A few do no harm.
            final byte[] payload = new byte[125];
            for (int i = 0; i < 10; i++) {
                ws.sendFrame(RawWebSocket.OP_PONG, payload, true);
            }
            ws.sendText("{\"op\":\"ping\",\"id\":\"after-a-few-pongs\"}");
            assertTrue(ws.readText().contains("after-a-few-pongs"));
            assertEquals(1008, floodUntilClosed(ws, RawWebSocket.OP_PONG, payload, true));
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldRefuseA64BitLengthWithTheTopBitSetAsAProtocolError() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            // RFC 6455 5.2: the most significant bit of a 64-bit length must be 0
            ws.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4,
                'h', 'e', 'l', 'l', 'o'});
            assertEquals(1002, ws.readUntilClose(), "a protocol error");
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldCloseAClientThatSendsEndlessEmptyFragments() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            ws.sendFrame(RawWebSocket.OP_TEXT, new byte[0], false);
            // empty continuations carry no bytes, so only a count of frames can stop them: --max-fragments (16 here)
            assertEquals(1009, floodUntilClosed(ws, 0x0, new byte[0], false));
        }
        baseline.assertRestored(WAIT);
    }

    @Test
    void shouldClose1008AClientThatSendsEndlessMessagesOfEmptyFragments() throws Exception {
        final ResourceBaseline baseline = ResourceBaseline.of(server);
        try (RawWebSocket ws = RawWebSocket.connect(server.port())) {
            // each message within --max-fragments, but frames without end: the inbound frame budget stops them
            assertEquals(1008, floodUntilClosed(ws, () -> {
                ws.sendFrame(RawWebSocket.OP_TEXT, new byte[0], false);
                for (int i = 0; i < 10; i++) {
                    ws.sendFrame(0x0, new byte[0], false);
                }
                ws.sendFrame(0x0, "{}".getBytes(StandardCharsets.US_ASCII), true);
            }));
        }
        baseline.assertRestored(WAIT);
    }

    /**
     * Sends the same frame until the server's close frame arrives (read on another thread, since a client that only
     * writes would never see it); returns its code, -1 if the connection ended without one.
     */
    private static int floodUntilClosed(final RawWebSocket ws, final int opcode, final byte[] payload,
        final boolean fin) throws Exception {
        return floodUntilClosed(ws, () -> ws.sendFrame(opcode, payload, fin));
    }

    /** Repeats {@code send} until the server's close frame arrives; returns its code, -1 if none came. */
    private static int floodUntilClosed(final RawWebSocket ws, final FrameSender send) throws Exception {
        final java.util.concurrent.atomic.AtomicInteger closeCode = new java.util.concurrent.atomic.AtomicInteger();
        final Thread watcher = new Thread(() -> {
            try {
                closeCode.set(ws.readUntilClose());
            } catch (final java.io.IOException e) {
                closeCode.set(-1);
            }
        });
        watcher.start();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (closeCode.get() == 0 && System.nanoTime() < deadline) {
                send.send();
            }
        } catch (final java.io.IOException e) {
            // cut off while still sending: the close code is what the watcher read
        }
        watcher.join(WAIT.toMillis());
        return closeCode.get();
    }

    /** Writes one or more frames. */
    @FunctionalInterface
    private interface FrameSender {
        void send() throws java.io.IOException;
    }
}
