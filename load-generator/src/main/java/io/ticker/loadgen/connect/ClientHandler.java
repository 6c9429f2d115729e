package io.ticker.loadgen.connect;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.ticker.loadgen.measure.RunCounters;
import javax.net.ssl.SSLException;

/** Hands a connection's events to its {@link SimulatedClient}; a new one per connection. */
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final int SWITCHING_PROTOCOLS = 101;

    private final SimulatedClient client;
    private final RunCounters counters;
    private boolean settled;

    ClientHandler(final SimulatedClient client, final RunCounters counters) {
        this.client = client;
        this.counters = counters;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            settled = true;
            client.onOpen();
            final String subscribe = client.subscribeCommand();
            if (subscribe != null) {
                ctx.writeAndFlush(new TextWebSocketFrame(subscribe));
            }
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            failBeforeOpen(ctx, "upgrade-timeout");
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        try {
            if (msg instanceof TextWebSocketFrame frame) {
                client.onText(frame.content());
            } else if (msg instanceof CloseWebSocketFrame close) {
                counters.error("closed-by-server:" + close.statusCode());
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(f ->
                    ctx.close());
            } else if (msg instanceof BinaryWebSocketFrame frame) {
                if (client.isBinary()) {
                    client.onBinary(frame.content());
                } else {
                    counters.error("unexpected-binary-frame");
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        if (settled) {
            client.onClosed();
        } else {
            failBeforeOpen(ctx, "closed-before-upgrade");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (!settled) {
            failBeforeOpen(ctx, upgradeFailureKind(cause));
        } else {
            counters.error("io:" + cause.getClass().getSimpleName());
        }
        ctx.close();
    }

    /** Reports a failed upgrade once, however many of timeout, exception and close signal it. */
    private void failBeforeOpen(final ChannelHandlerContext ctx, final String kind) {
        if (settled) {
            return;
        }
        settled = true;
        client.onConnectFailed(kind);
        // the client never counted as up, so the close that follows is not counted as a disconnect
        ctx.close();
    }

    private static String upgradeFailureKind(final Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
            final String chosen = handshake.response().headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
            if (handshake.response().status().code() == SWITCHING_PROTOCOLS && chosen != null) {
                // SubprotocolCheck left the header only when it names a subprotocol that was not offered
                return "subprotocol-not-offered:" + chosen.trim();
            }
            return "upgrade-rejected:" + handshake.response().status().code();
        }
        if (root instanceof SSLException) {
            return "tls:" + root.getClass().getSimpleName();
        }
        return "upgrade:" + root.getClass().getSimpleName();
    }
}
