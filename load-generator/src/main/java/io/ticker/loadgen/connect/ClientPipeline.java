package io.ticker.loadgen.connect;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.protocol.Subprotocols;

/** Builds one connection's pipeline: TLS, HTTP for the upgrade, WebSocket framing, then the client's handler. */
final class ClientPipeline extends ChannelInitializer<SocketChannel> {
    /** The largest frame accepted: a busy firehose frame can hold thousands of quotes. */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    private static final int HANDSHAKE_RESPONSE_MAX_BYTES = 64 * 1024;

    private final SimulatedClient client;
    private final Endpoint endpoint;
    private final RunSettings settings;
    private final RunCounters counters;

    ClientPipeline(final SimulatedClient client, final Endpoint endpoint, final RunSettings settings,
        final RunCounters counters) {
        this.client = client;
        this.endpoint = endpoint;
        this.settings = settings;
        this.counters = counters;
    }

    @Override
    protected void initChannel(final SocketChannel channel) {
        if (client.isSlow()) {
            SlowReader.prepare(channel, settings.slowClients());
        }
        final ChannelPipeline pipeline = channel.pipeline();
        if (endpoint.sslContext() != null) {
            pipeline.addLast(endpoint.sslContext().newHandler(channel.alloc(),
                endpoint.uri().getHost(), endpoint.address().getPort()));
        }
        pipeline.addLast(new HttpClientCodec());
        pipeline.addLast(new HttpObjectAggregator(HANDSHAKE_RESPONSE_MAX_BYTES));
        pipeline.addLast(new SubprotocolCheck());
        if (settings.compression()) {
            pipeline.addLast(new CompressionProbe());
            // Offers permessage-deflate in the upgrade; if the server accepts, it puts Netty's inflater and
            // deflater behind the frame codec, so everything after it sees plain frames.
            pipeline.addLast(WebSocketClientCompressionHandler.INSTANCE);
        }
        pipeline.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
            .webSocketUri(endpoint.uri())
            .version(WebSocketVersion.V13)
            // the offer goes out as a plain header and SubprotocolCheck reads the answer: Netty, told of a
            // subprotocol, would refuse a 101 that names none, which the contract reads as ticker.v1.json
            .subprotocol(null)
            .customHeaders(new DefaultHttpHeaders().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL,
                settings.subprotocol()))
            // frames with RSV1 set (compressed) are refused unless extensions are allowed
            .allowExtensions(settings.compression())
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            // the close code is data (1001 = server draining); the handler records it and answers itself
            .handleCloseFrames(false)
            .handshakeTimeoutMillis(settings.connectTimeout().toMillis())
            // the server's frames are trusted to be UTF-8 (it must close with 1007 otherwise); validating
            // every byte again here would cost the generator CPU that belongs to measuring
            .withUTF8Validator(false)
            .build()));
        pipeline.addLast(new WebSocketFrameAggregator(MAX_FRAME_BYTES));
        pipeline.addLast(new ClientHandler(client, counters));
    }

    /**
     * Reads the subprotocol the 101 chose, then leaves the pipeline. None named: the contract's default,
     * {@code ticker.v1.json}, so the connection is read as JSON and counted. The one offered: taken, and the header
     * removed so that Netty's handshaker (which was told of no subprotocol) accepts the answer. Any other: left in
     * place, so that Netty refuses the upgrade and the failure names the subprotocol.
     */
    private final class SubprotocolCheck extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            if (msg instanceof FullHttpResponse response) {
                if (HttpResponseStatus.SWITCHING_PROTOCOLS.equals(response.status())) {
                    final String chosen = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
                    if (chosen == null || chosen.isBlank()) {
                        counters.withoutSubprotocol.increment();
                        client.negotiated(Subprotocols.JSON);
                    } else if (chosen.trim().equals(settings.subprotocol())) {
                        response.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
                        client.negotiated(settings.subprotocol());
                    }
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Counts an upgrade answered with permessage-deflate, then leaves the pipeline. */
    private final class CompressionProbe extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            if (msg instanceof FullHttpResponse response) {
                final String extensions = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
                if (extensions != null && extensions.contains("permessage-deflate")) {
                    counters.compressed.increment();
                }
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
