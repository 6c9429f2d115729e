package io.ticker.protocol;

/** The WebSocket subprotocols of contract version 1, as offered in {@code Sec-WebSocket-Protocol}. */
public final class Subprotocols {
    /** Text frames, each a JSON array of events. The default when a client offers none. */
    public static final String JSON = "ticker.v1.json";
    /** Binary frames in the fixed little-endian layout of docs/PROTOCOL.md. */
    public static final String BINARY = "ticker.v1.binary";

    /** The path of the WebSocket endpoint. */
    public static final String WEBSOCKET_PATH = "/ws";

    private Subprotocols() {
    }
}
