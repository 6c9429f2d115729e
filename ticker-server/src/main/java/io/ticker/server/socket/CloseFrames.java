package io.ticker.server.socket;

import io.ticker.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The one place a close frame's payload is made, for every send path (the direct sink, Undertow's send API with or
 * without permessage-deflate). RFC 6455 7.4.1 reserves 1005, 1006 and 1015 for reporting, never for the wire, and a
 * code outside 1000-4999 is not a close code at all: such a code becomes an empty payload, a close without a code.
 * So answering a client's empty close (reported to us as 1005) is an empty close, never a 1005.
 */
public final class CloseFrames {
    /** A control frame's payload is at most 125 bytes (RFC 6455 5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** Reserved by RFC 6455 7.4.1: the connection closed abnormally, never sent. */
    static final int ABNORMAL_CLOSURE = 1006;
    /** Reserved by RFC 6455 7.4.1: the TLS handshake failed, never sent. */
    static final int TLS_HANDSHAKE_FAILURE = 1015;

    private CloseFrames() {
    }

    /** Whether {@code code} may be put in a close frame. */
    public static boolean sendable(final int code) {
        return code >= CloseCodes.NORMAL && code <= 4999
            && code != CloseCodes.NO_STATUS && code != ABNORMAL_CLOSURE && code != TLS_HANDSHAKE_FAILURE;
    }

    /**
     * A close frame's payload: {@code code}, then as much of {@code reason} as fits in a control frame, in whole
     * characters; empty when {@code code} may not be sent.
     */
    public static ByteBuffer payload(final int code, final String reason) {
        if (!sendable(code)) {
            return ByteBuffer.allocate(0);
        }
        final byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
        while (length < text.length && length > 0 && (text[length] & 0xC0) == 0x80) {
            length--;
        }
        final ByteBuffer payload = ByteBuffer.allocate(2 + length);
        payload.putShort((short) code).put(text, 0, length).flip();
        return payload;
    }
}
