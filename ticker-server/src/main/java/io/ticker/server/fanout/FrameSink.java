package io.ticker.server.fanout;

import java.nio.ByteBuffer;

/**
 * Where one subscriber's frames go: a WebSocket in the server ({@code socket.WebSocketFrameSink}), memory in tests and
 * benchmarks. Every method is called on the subscriber's owning thread, and every completion must be reported back on
 * that thread too, through {@link Subscriber#frameSent()} or {@link Subscriber#frameFailed()}.
 */
public interface FrameSink {
    /**
     * Sends one text frame. The sink owns {@code frame} until it reports the send complete or failed; the subscriber
     * does not touch those bytes before then.
     */
    void sendText(ByteBuffer frame, Subscriber owner);

    /** Sends a ping; a failure needs no report, the liveness check will notice a dead peer. */
    void sendPing();

    /** Sends a close frame; the connection closes when the peer answers. */
    void sendClose(int code, String reason);

    /**
     * Sends a close frame and drops the connection once it is written, without waiting for the peer's answer: for
     * a peer that broke the protocol and whose further input cannot be trusted.
     */
    void sendCloseThenDisconnect(int code, String reason);

    /** Drops the connection without a close handshake. */
    void abort();
}
