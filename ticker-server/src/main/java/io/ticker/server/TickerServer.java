package io.ticker.server;

import io.ticker.feed.SymbolUniverse;

/**
 * The running server: the composition root that wires feed -> ring -> fan-out -> sockets and the web routes on one
 * port. {@link #start} returns once the port is bound and the feed runs.
 */
public final class TickerServer implements AutoCloseable {
    /** Starts a server; with {@code port(0)} it binds a free port, see {@link #port()}. */
    public static TickerServer start(final ServerConfig config) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The bound TCP port. */
    public int port() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The symbols this server quotes. */
    public SymbolUniverse universe() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Graceful stop, as on SIGTERM: /health answers 503, every client gets close 1001, then the server stops.
     * Returns when everything is stopped.
     */
    public void drainAndStop() {
        throw new UnsupportedOperationException("TODO");
    }

    @Override
    public void close() {
        drainAndStop();
    }
}
