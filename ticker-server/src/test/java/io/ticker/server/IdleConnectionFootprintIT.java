package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.Quote;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an idle subscribed connection holds in the server's heap: 200 clients each subscribe to one symbol
 * of a 20,000-symbol universe, get their acknowledgement and snapshot, and go quiet. The heap after GC while they are
 * connected is at most {@link #HEAP_PER_CONNECTION_MAX_BYTES} per connection above the heap after they have gone, so
 * a per-connection buffer of a few KiB, or a table sized to the universe rather than to the subscription (20,000
 * symbols of anything is at least 20 KB), fails it.
 * docs/PERFORMANCE.md ("Memory per connection") has the figures this bound protects.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleConnectionFootprintIT {
    private static final int CONNECTIONS = 200;
    private static final int SYMBOLS = 20_000;
    /**
     * The server's share measures about 5.5 KB (Undertow's channel and connection objects, the JDK's socket, this
     * server's subscriber, listener and sink). The bound leaves a margin for another JDK or Undertow, not room for a
     * buffer per connection.
     */
    static final long HEAP_PER_CONNECTION_MAX_BYTES = 8 * 1024;
    /** Below this the reading measured nothing: the connections are not all held. */
    private static final long HEAP_PER_CONNECTION_MIN_BYTES = 1024;

    @Test
    void shouldHoldAnIdleSubscribedConnectionInAFewKilobytesOfHeap() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(SYMBOLS)
            .embeddedFeed(false).pingIntervalMs(60_000))) {
            // Every symbol the clients take has a last quote, so acks come with a snapshot, as in production.
            final QuoteSink ingest = server.ingest();
            final Quote quote = new Quote();
            for (int symbolId = 0; symbolId < CONNECTIONS; symbolId++) {
                ingest.onQuote(TestQuotes.fill(quote, symbolId, 1));
            }
            // Classes, caches and per-shard tables that connections create once belong to the baseline: the same
            // connections come and go once first, and the baseline is read after they have gone a second time.
            closeAll(server, connectSubscribed(server, CONNECTIONS));
            final List<Socket> clients = connectSubscribed(server, CONNECTIONS);
            assertEquals(CONNECTIONS, server.connections(), "every connection is held");
            final long heapHeld = ResourceBaseline.heapAfterGc();
            closeAll(server, clients);
            final long heapBaseline = ResourceBaseline.heapAfterGc();
            // the closed client sockets stay in this heap for both readings, so only the server's share differs
            Reference.reachabilityFence(clients);

            final long perConnection = (heapHeld - heapBaseline) / CONNECTIONS;
            System.out.println("IdleConnectionFootprintIT: " + perConnection + " bytes of heap per connection");
            assertTrue(perConnection <= HEAP_PER_CONNECTION_MAX_BYTES,
                "an idle subscribed connection holds " + perConnection + " bytes of heap");
            assertTrue(perConnection >= HEAP_PER_CONNECTION_MIN_BYTES,
                "the reading measured the connections: " + perConnection + " bytes each");
        }
    }

    private static void closeAll(final TickerServer server, final List<Socket> sockets) throws Exception {
        for (final Socket socket : sockets) {
            socket.close();
        }
        SlowConsumerIT.waitUntil(() -> server.connections() == 0, Duration.ofSeconds(30));
    }

    /**
     * Opens {@code count} connections, each subscribed to its own symbol, and returns once each has its
     * acknowledgement: every request goes out first, so the server upgrades them while the test waits for the first.
     * A client is a bare socket: what it keeps in this JVM's heap is small and the same whatever the server does.
     */
    private static List<Socket> connectSubscribed(final TickerServer server, final int count) throws IOException {
        final List<Socket> sockets = new ArrayList<>(count);
        final byte[] upgrade = RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==")
            .replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1:" + server.port() + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < count; i++) {
            final Socket socket = new Socket();
            sockets.add(socket);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(20_000);
            final OutputStream out = socket.getOutputStream();
            out.write(upgrade);
            out.write(maskedText("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(i) + "\"]}"));
        }
        final byte[] received = new byte[16 * 1024];
        for (final Socket socket : sockets) {
            awaitAck(socket.getInputStream(), received);
        }
        return sockets;
    }

    /** Reads the 101 response and the ack; both are small enough for {@code into}. Fails on any other status. */
    private static void awaitAck(final InputStream in, final byte[] into) throws IOException {
        int length = 0;
        String text = "";
        while (!text.contains("\"subscribed\"")) {
            if (text.startsWith("HTTP/1.1 ") && text.length() >= 12 && !text.startsWith("HTTP/1.1 101")) {
                throw new IOException("upgrade refused: " + text.lines().findFirst().orElse(""));
            }
            final int read = in.read(into, length, into.length - length);
            if (read < 0 || length + read == into.length) {
                throw new IOException("no ack in " + text);
            }
            length += read;
            text = new String(into, 0, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** One final text frame, masked with a zero key (the RFC requires a mask, not a secret one). */
    private static byte[] maskedText(final String text) {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("a short command only");
        }
        final byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }
}
