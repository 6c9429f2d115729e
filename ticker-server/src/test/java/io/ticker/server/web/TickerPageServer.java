package io.ticker.server.web;

import io.ticker.server.ServerConfig;
import io.ticker.server.TickerServer;

/** The real server: page, API and WebSocket on one port. */
final class TickerPageServer implements PageServer {
    /** Busy enough that every watched row moves within a second. */
    private static final double RATE_PER_SECOND = 2000;

    private TickerServer server;
    private int port;

    @Override
    public void start(final int requestedPort) {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(requestedPort)
            .ratePerSecond(RATE_PER_SECOND));
        port = server.port();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String pageUrl() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String wsUrl(final int wsPort) {
        return "ws://127.0.0.1:" + wsPort + "/ws";
    }

    @Override
    public void close() {
        stop();
    }
}
