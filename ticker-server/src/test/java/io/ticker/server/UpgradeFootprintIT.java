package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.server.admission.ConnectionLimiter;
import io.undertow.Undertow;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.core.WebSocketChannel;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.XnioWorker;

/**
 * An open WebSocket keeps nothing of its handshake request: the request and response headers, the exchange and its
 * strings, kept for every one of 19,000 idle connections, would be a quarter of the server's heap per connection. The
 * production route upgrades a connection here; weak references show whether the request survives it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpgradeFootprintIT {
    private static final AttachmentKey<Object> MARKER = AttachmentKey.create(Object.class);

    @Test
    void shouldLetTheHandshakeRequestGoOnceTheConnectionIsUpgraded() throws Exception {
        final ServerConfig config = new ServerConfig().host("127.0.0.1").port(0);
        final XnioWorker worker = ServerAssembly.worker(config);
        final ConnectionLimiter limiter = ServerAssembly.connectionLimiter(config.admission());
        final CompletableFuture<WebSocketChannel> opened = new CompletableFuture<>();
        final CompletableFuture<WeakReference<Object>> facade = new CompletableFuture<>();
        final CompletableFuture<WeakReference<Object>> exchangeMarker = new CompletableFuture<>();
        final Undertow undertow = ServerAssembly.listen(worker, config, ServerAssembly.webSocketRoute(config, limiter,
            () -> false, (exchange, channel) -> {
                // an object only the exchange holds: while it lives, so does the exchange's attachment map
                final Object marker = new Object();
                exchange.putAttachment(MARKER, marker);
                exchangeMarker.complete(new WeakReference<>(marker));
                facade.complete(new WeakReference<>(exchange));
                channel.resumeReceives();
                opened.complete(channel);
            }));
        try (RawWebSocket ws = RawWebSocket.connect(
            ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort())) {
            assertEquals(101, ws.status);
            final WebSocketChannel channel = opened.get(5, TimeUnit.SECONDS);
            assertTrue(cleared(facade.get(), 5_000), "the handshake's exchange facade is still reachable");
            assertTrue(cleared(exchangeMarker.get(), 5_000), "the handshake's exchange is still reachable");
            assertTrue(channel.isOpen(), "the connection itself stays open");
        } finally {
            undertow.stop();
            worker.shutdown();
        }
    }

    /** Collects garbage until {@code reference} is cleared or {@code timeoutMs} passes. */
    private static boolean cleared(final WeakReference<?> reference, final long timeoutMs)
        throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (reference.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        return reference.get() == null;
    }
}
