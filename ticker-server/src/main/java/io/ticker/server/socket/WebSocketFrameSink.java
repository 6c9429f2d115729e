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
 *
 * <p>Undertow may report one frame's completion twice (its flushing listener can run again after it reported), and
 * by then the subscriber has usually handed over its next frame: passed on, the second report would end that frame
 * while Undertow still writes it, and the subscriber would build its following frame in that same buffer (its
 * spare). So each data frame goes out with its own report token, and only the report that carries the token of the
 * frame in flight reaches the subscriber.
 */
final class WebSocketFrameSink implements FrameSink, WebSocketCallback<Object> {
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
    private final DataFrameSender sender;
    private Subscriber owner;
    /** The report token of the data frame Undertow has in flight; null when none is. */
    private Object inFlight;

    WebSocketFrameSink(final WebSocketChannel channel) {
        this(channel, (binary, frame, callback, token) -> {
            if (binary) {
                WebSockets.sendBinary(frame, channel, callback, token);
            } else {
                WebSockets.sendText(frame, channel, callback, token);
            }
        });
    }

    /** A sink whose data frames go out through {@code sender}: Undertow's send API, or a test's stand-in. */
    WebSocketFrameSink(final WebSocketChannel channel, final DataFrameSender sender) {
        this.channel = channel;
        this.sender = sender;
    }

    @Override
    public void sendText(final ByteBuffer frame, final Subscriber owner) {
        sendData(false, frame, owner);
    }

    @Override
    public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
        sendData(true, frame, owner);
    }

    private void sendData(final boolean binary, final ByteBuffer frame, final Subscriber subscriber) {
        // One small object per frame, next to the frame channel and listeners Undertow makes for each: a token that
        // no earlier frame's report can carry, unlike the subscriber or a reused buffer.
        final Object token = new Object();
        owner = subscriber;
        // before the send: Undertow reports a frame it could write at once from inside it
        inFlight = token;
        sender.send(binary, frame, this, token);
    }

    @Override
    public void sendPong(final ByteBuffer payload) {
        WebSockets.sendPong(payload, channel, CLOSE_ON_FAILURE);
    }

    @Override
    public void peerClosed(final int code) {
        // As Undertow's own listener does: answer unless our close went first; Undertow closes once both are done.
        if (!channel.isCloseFrameSent()) {
            WebSockets.sendClose(CloseFrames.payload(code, null), channel, CLOSE_ON_FAILURE);
        }
    }

    @Override
    public void sendPing() {
        WebSockets.sendPing(EMPTY.duplicate(), channel, CLOSE_ON_FAILURE);
    }

    /**
     * Undertow's send API cannot write a close frame without a code: given {@link CloseFrames}' empty payload (the
     * answer to a client's close without a code), it writes 1000, normal closure, which RFC 6455 allows there.
     * Undertow refuses a second close frame on a channel, so one close goes out whoever sends first.
     */
    @Override
    public void sendClose(final int code, final String reason) {
        WebSockets.sendClose(CloseFrames.payload(code, reason), channel, CLOSE_ON_FAILURE);
    }

    @Override
    public void sendCloseThenDisconnect(final int code, final String reason) {
        WebSockets.sendClose(CloseFrames.payload(code, reason), channel, DISCONNECT);
    }

    @Override
    public void abort() {
        AbortiveClose.close(channel);
    }

    @Override
    public void complete(final WebSocketChannel ws, final Object token) {
        if (token != inFlight) {
            // a second report of a frame already reported: the frame in flight now is another one
            return;
        }
        inFlight = null;
        owner.frameSent();
    }

    @Override
    public void onError(final WebSocketChannel ws, final Object token, final Throwable throwable) {
        if (token != inFlight) {
            // likewise: Undertow closes the channel itself, and the frame in flight now is not the one that failed
            return;
        }
        inFlight = null;
        owner.frameFailed();
    }

    /** Hands one data frame to Undertow, which reports it to {@code callback} with {@code token}. */
    @FunctionalInterface
    interface DataFrameSender {
        void send(boolean binary, ByteBuffer frame, WebSocketCallback<Object> callback, Object token);
    }
}
