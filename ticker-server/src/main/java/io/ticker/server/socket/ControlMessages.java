package io.ticker.server.socket;

import io.ticker.protocol.CloseCodes;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;

/**
 * Reading the control messages Undertow buffers for a listener (pings and closes), whose answers the connection's
 * {@link DirectFrameSink} writes: each method copies what it needs and frees Undertow's pooled buffers.
 */
public final class ControlMessages {
    private ControlMessages() {
    }

    /** A ping's payload, to send back in the pong (RFC 6455 5.5.3). */
    public static ByteBuffer payload(final BufferedBinaryMessage message) {
        try {
            return WebSockets.mergeBuffers(message.getData().getResource());
        } finally {
            message.getData().free();
        }
    }

    /** A close message's status code, or {@link CloseCodes#NO_STATUS} if it carried none. */
    public static int closeCode(final BufferedBinaryMessage close) {
        final ByteBuffer payload = payload(close);
        return payload.remaining() >= 2 ? payload.getShort() & 0xFFFF : CloseCodes.NO_STATUS;
    }
}
