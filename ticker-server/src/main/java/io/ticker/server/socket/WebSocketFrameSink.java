package io.ticker.server.socket;

import io.ticker.server.fanout.FrameSink;
import io.ticker.server.fanout.Subscriber;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;

/**
 * A subscriber's frames through Undertow's WebSocket send API: for connections with an extension (permessage-deflate
 * must see every frame) and as the baseline that {@link DirectFrameSink} is measured against. Undertow calls back on
 * the channel's IO thread, the thread that owns the subscriber, so the completion goes straight back to it. One
 * instance per connection: the send callback is this object, never a fresh lambda and never null.
 */
final class WebSocketFrameSink implements FrameSink, WebSocketCallback<Subscriber> {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** For pings and close frames: a failed send means the connection is gone, so close it. */
    private static final WebSocketCallback<Void> CLOSE_ON_FAILURE = new WebSocketCallback<>() {
        @Override
        public void complete(final WebSocketChannel channel, final Void context) {
        }

        @Override
        public void onError(final WebSocketChannel channel, final Void context, final Throwable throwable) {
            IoUtils.safeClose(channel);
        }
    };

    /** Closes the connection once the close frame is out, or at once if it cannot be written. */
    private static final WebSocketCallback<Void> DISCONNECT = new WebSocketCallback<>() {
        @Override
        public void complete(final WebSocketChannel channel, final Void context) {
            IoUtils.safeClose(channel);
        }

        @Override
        public void onError(final WebSocketChannel channel, final Void context, final Throwable throwable) {
            IoUtils.safeClose(channel);
        }
    };

    private final WebSocketChannel channel;

    WebSocketFrameSink(final WebSocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void sendText(final ByteBuffer frame, final Subscriber owner) {
        WebSockets.sendText(frame, channel, this, owner);
    }

    @Override
    public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
        WebSockets.sendBinary(frame, channel, this, owner);
    }

    @Override
    public void sendPong(final ByteBuffer payload) {
        WebSockets.sendPong(payload, channel, CLOSE_ON_FAILURE);
    }

    @Override
    public void peerClosed(final int code) {
        // As Undertow's own listener does: answer unless our close went first; Undertow closes once both are done.
        if (!channel.isCloseFrameSent()) {
            WebSockets.sendClose(code, null, channel, CLOSE_ON_FAILURE);
        }
    }

    @Override
    public void sendPing() {
        WebSockets.sendPing(EMPTY.duplicate(), channel, CLOSE_ON_FAILURE);
    }

    @Override
    public void sendClose(final int code, final String reason) {
        WebSockets.sendClose(code, reason, channel, CLOSE_ON_FAILURE);
    }

    @Override
    public void sendCloseThenDisconnect(final int code, final String reason) {
        WebSockets.sendClose(code, reason, channel, DISCONNECT);
    }

    @Override
    public void abort() {
        IoUtils.safeClose(channel);
    }

    @Override
    public void complete(final WebSocketChannel ws, final Subscriber owner) {
        owner.frameSent();
    }

    @Override
    public void onError(final WebSocketChannel ws, final Subscriber owner, final Throwable throwable) {
        owner.frameFailed();
    }
}
