package io.ticker.server.web;

import io.ticker.protocol.EventJson;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;

/** {@code GET /api/symbols}: the universe as a JSON array, busiest symbols first. Encoded once at start. */
public final class SymbolsHandler implements HttpHandler {
    private final String body;

    /** Serves {@code symbols}. */
    public SymbolsHandler(final List<String> symbols) {
        this.body = EventJson.symbolArray(symbols);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        JsonResponses.send(exchange, 200, body);
    }
}
