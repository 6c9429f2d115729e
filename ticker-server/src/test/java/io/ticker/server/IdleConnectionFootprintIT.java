package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.Quote;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an idle subscribed connection holds in the server's heap: a few hundred clients each subscribe to one symbol
 * of a 20,000-symbol universe, get their acknowledgement and snapshot, and go quiet. The heap after GC grows by at most
 * {@link #HEAP_PER_CONNECTION_MAX_BYTES} per connection, so a per-connection buffer of a few KiB, or a table sized to
 * the universe rather than to the subscription (20,000 symbols of anything is at least 20 KB), fails it.
 * docs/PERFORMANCE.md ("Memory per connection") has the figures this bound protects.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleConnectionFootprintIT {
    private static final int CONNECTIONS = 300;
    private static final int SYMBOLS = 20_000;
    /**
     * The server's share measures about 4.5 KB (Undertow's channel and connection objects, the JDK's socket, this
     * server's subscriber, listener and sink); this JVM's client socket adds about 1 KB. The bound leaves a margin
     * for another JDK or Undertow, not room for a buffer per connection.
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
            // Classes, IO-thread buffers and caches that the first connections create belong to the baseline.
            final List<Socket> warmUp = connectSubscribed(server, 20);
            for (final Socket socket : warmUp) {
                socket.close();
            }
            SlowConsumerIT.waitUntil(() -> server.connections() == 0, java.time.Duration.ofSeconds(10));

            final long heapBefore = ResourceBaseline.heapAfterGc();
            final List<Socket> clients = connectSubscribed(server, CONNECTIONS);
            try {
                final long heapAfter = ResourceBaseline.heapAfterGc();
                final long perConnection = (heapAfter - heapBefore) / CONNECTIONS;
                System.out.println("IdleConnectionFootprintIT: " + perConnection + " bytes of heap per connection");
                assertEquals(CONNECTIONS, server.connections(), "every connection is held");
                assertTrue(perConnection <= HEAP_PER_CONNECTION_MAX_BYTES,
                    "an idle subscribed connection holds " + perConnection + " bytes of heap");
                assertTrue(perConnection >= HEAP_PER_CONNECTION_MIN_BYTES,
                    "the reading measured the connections: " + perConnection + " bytes each");
            } finally {
                for (final Socket socket : clients) {
                    socket.close();
                }
            }
        }
    }

    /**
     * Opens {@code count} connections, one at a time, each subscribed to its own symbol, and returns once each has
     * its acknowledgement. A client is a bare socket: what it keeps in this JVM's heap is small and the same whatever
     * the server does.
     */
    private static List<Socket> connectSubscribed(final TickerServer server, final int count) throws IOException {
        final List<Socket> sockets = new ArrayList<>(count);
        final byte[] received = new byte[16 * 1024];
        for (int i = 0; i < count; i++) {
            final Socket socket = new Socket();
            sockets.add(socket);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ==")
                .replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1:" + server.port() + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            out.write(maskedText("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(i) + "\"]}"));
            awaitText(socket.getInputStream(), received, "\"subscribed\"");
        }
        return sockets;
    }

    /** Reads until {@code marker} has arrived; the 101 response and the ack are small enough for {@code into}. */
    private static void awaitText(final InputStream in, final byte[] into, final String marker) throws IOException {
        int length = 0;
        while (!new String(into, 0, length, StandardCharsets.ISO_8859_1).contains(marker)) {
            final int read = in.read(into, length, into.length - length);
            if (read < 0 || length + read == into.length) {
                throw new IOException("no '" + marker + "' in " + new String(into, 0, length, StandardCharsets.UTF_8));
            }
            length += read;
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
