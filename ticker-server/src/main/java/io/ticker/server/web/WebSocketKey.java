package io.ticker.server.web;

import java.util.Base64;

/** The {@code Sec-WebSocket-Key} of an upgrade request, as RFC 6455 4.2.1 defines it. */
public final class WebSocketKey {
    private WebSocketKey() {
    }

    /**
     * Whether {@code key} is the base64 encoding of 16 bytes. Undertow's handshake takes any string, an empty one
     * included, and answers 101; a client that sends one is not speaking the protocol and gets 400.
     */
    public static boolean isValid(final String key) {
        if (key == null || key.trim().length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }
}
