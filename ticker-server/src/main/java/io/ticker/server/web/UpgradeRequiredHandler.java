package io.ticker.server.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;

/**
 * What {@code /ws} answers when a request is not a WebSocket upgrade the server accepts: 426 with the version it
 * speaks for a plain GET or another protocol version, 400 for a malformed upgrade, each with a one-line reason.
 */
public final class UpgradeRequiredHandler implements HttpHandler {
    private static final HttpString SEC_WEBSOCKET_VERSION = new HttpString("Sec-WebSocket-Version");

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        final String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        final String version = exchange.getRequestHeaders().getFirst(SEC_WEBSOCKET_VERSION);
        if (!Methods.GET.equals(exchange.getRequestMethod())) {
            PlainText.send(exchange, 400, "A WebSocket upgrade must be a GET request.");
        } else if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
            exchange.getResponseHeaders().put(SEC_WEBSOCKET_VERSION, "13");
            PlainText.send(exchange, 426, "This endpoint speaks WebSocket only: send an RFC 6455 upgrade request.");
        } else if (version != null && !version.trim().equals("13")) {
            exchange.getResponseHeaders().put(SEC_WEBSOCKET_VERSION, "13");
            PlainText.send(exchange, 426,
                "Unsupported Sec-WebSocket-Version " + version.trim() + "; this server speaks 13.");
        } else if (exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_KEY) == null) {
            PlainText.send(exchange, 400, "The upgrade request has no Sec-WebSocket-Key.");
        } else if (!WebSocketKey.isValid(
            exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_KEY))) {
            PlainText.send(exchange, 400, "Sec-WebSocket-Key must be the base64 of 16 bytes (RFC 6455 4.2.1).");
        } else {
            PlainText.send(exchange, 400, "Malformed WebSocket upgrade request.");
        }
    }
}
