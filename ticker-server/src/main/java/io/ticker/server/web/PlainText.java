package io.ticker.server.web;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/** A status with a one-line plain-text reason: how every refusal on this server reads. */
public final class PlainText {
    private PlainText() {
    }

    /** Ends the exchange with {@code status} and {@code reason} as the body. */
    public static void send(final HttpServerExchange exchange, final int status, final String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(reason + "\n");
    }
}
