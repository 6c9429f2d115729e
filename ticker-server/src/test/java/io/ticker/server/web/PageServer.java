package io.ticker.server.web;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The server a browser test talks to: the real {@link io.ticker.server.TickerServer} (default), or, for page
 * development before or beside it, any process that speaks the wire contract (the node-ws comparison peer, chosen
 * with {@code -Dticker.web.peer=/path/to/server.js}) with the page served from the classpath and the {@code ?ws=}
 * override pointing at it.
 */
interface PageServer extends AutoCloseable {
    static PageServer create() {
        String peer = System.getProperty("ticker.web.peer", "");
        return peer.isEmpty() ? new TickerPageServer() : new NodePeerPageServer(Path.of(peer));
    }

    /** Starts (or starts again) the ticker on {@code port}; 0 picks a free one. */
    void start(int port) throws IOException;

    /** Stops the ticker gracefully (clients get close 1001); the page stays reachable where it can. */
    void stop();

    /** The bound port of the ticker. */
    int port();

    /** Where a browser opens the page. */
    String pageUrl();

    /** Base URL of the HTTP API ({@code /api/symbols}). */
    String apiUrl();

    /** The WebSocket URL the page connects to when the ticker is on {@code port}. */
    String wsUrl(int port);

    @Override
    void close();
}
