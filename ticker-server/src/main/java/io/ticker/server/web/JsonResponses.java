package io.ticker.server.web;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** Writes small JSON answers for the web routes. */
final class JsonResponses {
    private JsonResponses() {
    }

    static void send(final HttpServerExchange exchange, final int status, final String json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(json);
    }
}
