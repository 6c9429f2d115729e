package io.ticker.server.fanout;

import java.nio.ByteBuffer;

/**
 * Where one subscriber's frames go: a WebSocket in the server ({@code socket.DirectFrameSink} or
 * {@code socket.WebSocketFrameSink}), memory in tests and benchmarks. Every method is called on the subscriber's
 * owning thread, and every completion must be reported back on that thread too, through
 * {@link Subscriber#frameSent()} or {@link Subscriber#frameFailed()}; a sink may report it before returning. Each
 * frame is reported once: on the report the subscriber hands over its next frame and builds the one after in the
 * buffer just reported, so a second report would end a frame the sink still writes.
 */
public interface FrameSink {
    /**
     * Bytes the subscriber leaves free in front of every frame's payload, so that a sink can put the WebSocket frame
     * header there and write header and payload as one buffer, without copying (a header is at most 10 bytes).
     */
    int HEADER_ROOM = 10;

    /**
     * Sends one text frame: the payload is {@code frame}'s remaining bytes, and at least {@link #HEADER_ROOM} bytes
     * before its position are free for the sink's use. The sink owns {@code frame} until it reports the send complete
     * or failed; the subscriber does not touch those bytes before then.
     */
    void sendText(ByteBuffer frame, Subscriber owner);

    /** Sends one binary frame, with the same ownership and header room as {@link #sendText}. */
    void sendBinary(ByteBuffer frame, Subscriber owner);

    /** Whether this sink takes frames it does not own, through {@link #sendShared}. */
    default boolean sharesFrames() {
        return false;
    }

    /**
     * Sends one frame whose bytes are shared with other subscribers (a shard's firehose frame), with the header room
     * and completion report of {@link #sendText}. Unlike there, the sink may read {@code frame} only during this
     * call: it writes what the socket takes and keeps a copy of the rest.
     */
    default void sendShared(ByteBuffer frame, boolean binary, Subscriber owner) {
        throw new UnsupportedOperationException("this sink writes only frames it owns");
    }

    /** Sends a ping; a failure needs no report, the liveness check will notice a dead peer. */
    void sendPing();

    /** Answers a client's ping with {@code payload} (at most 125 bytes), as RFC 6455 5.5.3 requires. */
    void sendPong(ByteBuffer payload);

    /** Sends a close frame; the connection closes when the peer answers. */
    void sendClose(int code, String reason);

    /**
     * Sends a close frame and drops the connection once it is written, without waiting for the peer's answer: for
     * a peer that broke the protocol and whose further input cannot be trusted.
     */
    void sendCloseThenDisconnect(int code, String reason);

    /**
     * The peer sent its close frame with {@code code}: answer it with the same code unless a close frame already went
     * out, then drop the connection once everything queued is written.
     */
    void peerClosed(int code);

    /** Drops the connection without a close handshake. */
    void abort();
}
