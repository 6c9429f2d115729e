package io.ticker.server.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * {@code GET /health}: 200 and {@code "status":"UP"} while serving; 503 and {@code "DRAINING"} once a graceful stop
 * has begun, so a load balancer stops sending new clients before the old ones are closed.
 */
public final class HealthHandler implements HttpHandler {
    private final ServerStatus status;

    /** Reports on {@code status}. */
    public HealthHandler(final ServerStatus status) {
        this.status = status;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        final boolean draining = status.draining();
        final String json = "{\"status\":\"" + (draining ? "DRAINING" : "UP") + "\""
            + ",\"connections\":" + status.connections()
            + ",\"symbols\":" + status.symbols()
            + ",\"ratePerSecond\":" + status.ratePerSecond()
            + ",\"seq\":" + status.lastSeq()
            + ",\"uptimeSeconds\":" + status.uptimeSeconds() + "}";
        JsonResponses.send(exchange, draining ? 503 : 200, json);
    }
}
