package io.ticker.server.web;

import io.ticker.protocol.EventJson;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * The health routes, as load balancers and orchestrators read them.
 * <ul>
 *     <li>{@code GET /health/live}: 200 while the process works; 503 with the reason when it is wedged (an IO thread
 *     has stopped running). A restart is the cure for that, and for nothing else.</li>
 *     <li>{@code GET /health/ready} and {@code GET /health}: 200 and {@code "status":"UP"} only while the server
 *     serves live prices (its feed is live: heard from lately, its universe this server's, its snapshot loaded);
 *     503 with {@code "NOT_READY"} and the reason otherwise, and {@code "DRAINING"} once a graceful stop has begun,
 *     so new clients go elsewhere. Both carry the figures of {@code /health} and the feed's epoch.</li>
 * </ul>
 */
public final class HealthHandler implements HttpHandler {
    private final ServerStatus status;
    private final boolean readiness;

    private HealthHandler(final ServerStatus status, final boolean readiness) {
        this.status = status;
        this.readiness = readiness;
    }

    /** {@code /health/ready} and {@code /health}: reports on {@code status}. */
    public static HealthHandler ready(final ServerStatus status) {
        return new HealthHandler(status, true);
    }

    /** {@code /health/live}: reports on {@code status}. */
    public static HealthHandler live(final ServerStatus status) {
        return new HealthHandler(status, false);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        if (readiness) {
            ready(exchange);
        } else {
            live(exchange);
        }
    }

    private void ready(final HttpServerExchange exchange) {
        final String reason = status.notReadyReason();
        final String state = reason == null ? "UP" : status.draining() ? "DRAINING" : "NOT_READY";
        final String json = "{\"status\":\"" + state + "\""
            + (reason == null ? "" : ",\"reason\":" + EventJson.quote(reason))
            + ",\"connections\":" + status.connections()
            + ",\"symbols\":" + status.symbols()
            + ",\"ratePerSecond\":" + status.ratePerSecond()
            + ",\"seq\":" + status.lastSeq()
            + ",\"epoch\":" + status.epoch()
            + ",\"uptimeSeconds\":" + status.uptimeSeconds() + "}";
        JsonResponses.send(exchange, reason == null ? 200 : 503, json);
    }

    private void live(final HttpServerExchange exchange) {
        final String reason = status.wedgedReason();
        if (reason == null) {
            JsonResponses.send(exchange, 200, "{\"status\":\"LIVE\",\"uptimeSeconds\":" + status.uptimeSeconds() + "}");
        } else {
            JsonResponses.send(exchange, 503, "{\"status\":\"WEDGED\",\"reason\":" + EventJson.quote(reason) + "}");
        }
    }
}
