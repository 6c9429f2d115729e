package io.ticker.server.fanout;

import io.ticker.protocol.Subprotocols;

/** How a subscriber's output is framed: the subprotocol its connection negotiated. */
public enum WireFormat {
    /** {@code ticker.v1.json}: text frames, each a JSON array of event objects. */
    JSON,
    /** {@code ticker.v1.binary}: binary frames of 104-byte quote records and JSON event records. */
    BINARY;

    /** The format of a connection that negotiated {@code subprotocol}; JSON for none or any other. */
    public static WireFormat of(final String subprotocol) {
        return Subprotocols.BINARY.equals(subprotocol) ? BINARY : JSON;
    }
}
