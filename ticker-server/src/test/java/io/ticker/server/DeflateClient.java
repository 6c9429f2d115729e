package io.ticker.server;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.ReferenceCountUtil;
import io.ticker.protocol.JsonParser;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test client on Netty with its permessage-deflate extension (a third party to Undertow, and one that compresses):
 * it offers the extension in the upgrade, inflates what the server sends, and parses every text frame with the
 * protocol's strict JSON parser.
 */
final class DeflateClient implements AutoCloseable {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> open = new CompletableFuture<>();
    private volatile String negotiatedExtensions;
    private Channel channel;

    static DeflateClient connect(final int port) {
        final DeflateClient client = new DeflateClient();
        client.start(URI.create("ws://127.0.0.1:" + port + "/ws"));
        return client;
    }

    private void start(final URI uri) {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new UpgradeResponseProbe(), WebSocketClientCompressionHandler.INSTANCE,
                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                            .webSocketUri(uri)
                            .allowExtensions(true)
                            .build()),
                        new WebSocketFrameAggregator(16 * 1024 * 1024), new Events());
                }
            })
            .connect(uri.getHost(), uri.getPort()).syncUninterruptibly().channel();
        open.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The {@code Sec-WebSocket-Extensions} the server answered the upgrade with; null if none. */
    String negotiatedExtensions() {
        return negotiatedExtensions;
    }

    void send(final String json) {
        channel.writeAndFlush(new TextWebSocketFrame(json)).syncUninterruptibly();
    }

    /** Every event that arrives within {@code window}. */
    List<Map<String, Object>> collect(final Duration window) throws InterruptedException {
        final List<Map<String, Object>> collected = new ArrayList<>();
        final long deadline = System.nanoTime() + window.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            final Map<String, Object> event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event != null) {
                collected.add(event);
            }
        }
        return collected;
    }

    /** The next event, failing the test if none arrives in time. */
    Map<String, Object> next(final Duration timeout) throws InterruptedException {
        final Map<String, Object> event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            fail("no event within " + timeout);
        }
        return event;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Notes the upgrade response's extensions on its way to the handshaker. */
    private final class UpgradeResponseProbe extends SimpleChannelInboundHandler<FullHttpResponse> {
        UpgradeResponseProbe() {
            super(false);
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpResponse response) {
            negotiatedExtensions = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(response);
        }
    }

    /** Parses each whole text message into its events. */
    private final class Events extends SimpleChannelInboundHandler<Object> {
        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                open.complete(null);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void channelRead0(final ChannelHandlerContext ctx, final Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                for (final Object event : (List<Object>) JsonParser.parse(frame.text())) {
                    events.add((Map<String, Object>) event);
                }
            } else {
                ReferenceCountUtil.retain(msg);
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            open.completeExceptionally(cause);
            ctx.close();
        }
    }
}
