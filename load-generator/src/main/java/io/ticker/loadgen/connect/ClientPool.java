package io.ticker.loadgen.connect;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.ticker.loadgen.decode.ByteBufScanner;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.loadgen.measure.CpuWatch;
import io.ticker.loadgen.measure.DeliveryObserver;
import io.ticker.loadgen.measure.EpochClock;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.loadgen.measure.RecordingWindow;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.loadgen.settings.SlowClients;
import io.ticker.protocol.BinaryFrameScanner;
import io.ticker.protocol.JsonFrameScanner;
import io.ticker.protocol.Subprotocols;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Every subscriber connection of a run on a few Netty event loops (native epoll when available, NIO otherwise):
 * non-blocking sockets, pooled buffers, no thread per connection. Connection {@code i} lives on loop
 * {@code i % loops}, so that each loop owns its subscribers, its frame scanner and its latency recorder outright.
 * Frames are read as they arrive and scanned in place; nothing is queued to another thread.
 */
public final class ClientPool implements AutoCloseable {
    /** The largest frame accepted: a busy firehose frame can hold thousands of quotes. */
    public static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
    private static final int HANDSHAKE_RESPONSE_MAX_BYTES = 64 * 1024;

    private final RunSettings settings;
    private final List<Endpoint> endpoints;
    private final SymbolTable symbols;
    private final RunCounters counters;
    private final LatencyRecorder recorder;
    private final EpochClock clock;
    private final RecordingWindow window;
    private final DeliveryObserver observer;
    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final ByteBufScanner[] scanners;
    private final ByteBufScanner[] binaryScanners;
    private final boolean binary;
    private final Bootstrap[] bootstraps;
    private final List<SimulatedClient> subscribers = new ArrayList<>();
    private final String transport;
    private volatile boolean running = true;

    /** Starts the event loops; connections open with {@link #open}. */
    public ClientPool(final RunSettings settings, final List<Endpoint> endpoints, final SymbolTable symbols,
        final RunCounters counters, final LatencyRecorder recorder, final EpochClock clock,
        final RecordingWindow window, final DeliveryObserver observer) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.symbols = symbols;
        this.counters = counters;
        this.recorder = recorder;
        this.clock = clock;
        this.window = window;
        this.observer = observer;
        final int threads = settings.eventLoops();
        final DefaultThreadFactory threadFactory = new DefaultThreadFactory("loadgen-io", true);
        final boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
        transport = epoll ? "epoll" : "nio";
        loops = new EventLoop[threads];
        scanners = new ByteBufScanner[threads];
        binaryScanners = new ByteBufScanner[threads];
        binary = Subprotocols.BINARY.equals(settings.subprotocol());
        bootstraps = new Bootstrap[threads];
        int i = 0;
        for (final EventExecutor executor : group) {
            loops[i] = (EventLoop) executor;
            scanners[i] = new ByteBufScanner(new JsonFrameScanner());
            binaryScanners[i] = new ByteBufScanner(new BinaryFrameScanner());
            bootstraps[i] = new Bootstrap()
                .group(loops[i])
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis());
            i++;
        }
    }

    /** The I/O threads' ids, for {@link CpuWatch}. */
    public long[] loopThreadIds() {
        final long[] ids = new long[loops.length];
        for (int i = 0; i < loops.length; i++) {
            try {
                ids[i] = loops[i].submit(() -> Thread.currentThread().getId()).get();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return new long[0];
            } catch (final ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        return ids;
    }

    /** "epoll" or "nio". */
    public String transport() {
        return transport;
    }

    /**
     * Creates subscriber {@code index} and starts its first connect.
     *
     * @param symbolIds its symbols, or null for the firehose
     * @param subscribeCommand the command sent once the WebSocket is open, or null for an idle connection
     */
    public SimulatedClient open(final int index, final int[] symbolIds, final String subscribeCommand,
        final boolean isObserver) {
        final int loop = Math.floorMod(index, loops.length);
        final SimulatedClient client = new SimulatedClient(index, loop, this, subscribeCommand, symbolIds, isObserver,
            settings.seed());
        synchronized (subscribers) {
            subscribers.add(client);
        }
        loops[loop].execute(() -> connect(client));
        return client;
    }

    /** The subscribers opened so far (the observer included). */
    public List<SimulatedClient> subscribers() {
        synchronized (subscribers) {
            return List.copyOf(subscribers);
        }
    }

    void scheduleConnect(final SimulatedClient subscriber, final long delayMs) {
        loops[subscriber.loop()].schedule(() -> connect(subscriber), delayMs, TimeUnit.MILLISECONDS);
    }

    private void connect(final SimulatedClient subscriber) {
        if (!running) {
            return;
        }
        final Endpoint endpoint = endpoints.get(subscriber.endpointIndex());
        counters.connectAttempts.increment();
        final long start = System.nanoTime();
        final Bootstrap bootstrap = bootstraps[subscriber.loop()].clone()
            .handler(new Initializer(subscriber, endpoint));
        if (subscriber.isSlow()) {
            bootstrap.option(ChannelOption.SO_RCVBUF, SlowClients.RECEIVE_BUFFER_BYTES);
        }
        final ChannelFuture future = bootstrap.connect(endpoint.address());
        subscriber.connecting(future.channel(), start);
        future.addListener(f -> {
            if (f.isSuccess()) {
                subscriber.tcpConnected(System.nanoTime());
            } else {
                subscriber.onConnectFailed(connectFailureKind(f.cause()));
            }
        });
    }

    private static String connectFailureKind(final Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect-timeout";
        }
        if (cause instanceof ConnectException) {
            return "connect-refused";
        }
        return "connect:" + cause.getClass().getSimpleName();
    }

    /**
     * Stops the run's connections: no more reconnects, a close frame (1000) to every open WebSocket, then the event
     * loops stop. Returns when they have, so that every field the loops wrote is visible to the caller.
     */
    @Override
    public void close() {
        running = false;
        for (final SimulatedClient subscriber : subscribers()) {
            loops[subscriber.loop()].execute(() -> {
                final Channel channel = subscriber.channel();
                if (channel != null && channel.isActive()) {
                    // say goodbye (1000) but do not wait for the server's answer: a flooded server may take long
                    channel.writeAndFlush(new CloseWebSocketFrame(1000, "load test done"));
                    channel.close();
                }
            });
        }
        group.shutdownGracefully(0, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    boolean isRunning() {
        return running;
    }

    RunSettings settings() {
        return settings;
    }

    int endpointCount() {
        return endpoints.size();
    }

    SymbolTable symbols() {
        return symbols;
    }

    RunCounters counters() {
        return counters;
    }

    LatencyRecorder recorder() {
        return recorder;
    }

    EpochClock clock() {
        return clock;
    }

    RecordingWindow window() {
        return window;
    }

    DeliveryObserver observer() {
        return observer;
    }

    ByteBufScanner scanner(final int loop) {
        return scanners[loop];
    }

    ByteBufScanner binaryScanner(final int loop) {
        return binaryScanners[loop];
    }

    /** Builds one connection's pipeline: TLS, HTTP for the upgrade, WebSocket framing, then the subscriber. */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
        private final SimulatedClient subscriber;
        private final Endpoint endpoint;

        Initializer(final SimulatedClient subscriber, final Endpoint endpoint) {
            this.subscriber = subscriber;
            this.endpoint = endpoint;
        }

        @Override
        protected void initChannel(final SocketChannel channel) {
            if (subscriber.isSlow()) {
                SlowReader.prepare(channel, settings.slowClients());
            }
            final ChannelPipeline pipeline = channel.pipeline();
            if (endpoint.sslContext() != null) {
                pipeline.addLast(endpoint.sslContext().newHandler(channel.alloc(),
                    endpoint.uri().getHost(), endpoint.address().getPort()));
            }
            pipeline.addLast(new HttpClientCodec());
            pipeline.addLast(new HttpObjectAggregator(HANDSHAKE_RESPONSE_MAX_BYTES));
            if (settings.compression()) {
                pipeline.addLast(new CompressionProbe());
                // Offers permessage-deflate in the upgrade; if the server accepts, it puts Netty's inflater and
                // deflater behind the frame codec, so everything after it sees plain frames.
                pipeline.addLast(WebSocketClientCompressionHandler.INSTANCE);
            }
            pipeline.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(endpoint.uri())
                .version(WebSocketVersion.V13)
                .subprotocol(settings.subprotocol())
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
            pipeline.addLast(new SubscriberHandler(subscriber));
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

    /** Hands a connection's events to its {@link SimulatedClient}; a new one per connection. */
    private final class SubscriberHandler extends ChannelInboundHandlerAdapter {
        private final SimulatedClient subscriber;
        private boolean settled;

        SubscriberHandler(final SimulatedClient subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                settled = true;
                subscriber.onOpen();
                if (subscriber.subscribeCommand() != null) {
                    ctx.writeAndFlush(new TextWebSocketFrame(subscriber.subscribeCommand()));
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
                    subscriber.onText(frame.content());
                } else if (msg instanceof CloseWebSocketFrame close) {
                    counters.error("closed-by-server:" + close.statusCode());
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(f ->
                        ctx.close());
                } else if (msg instanceof BinaryWebSocketFrame frame) {
                    if (binary) {
                        subscriber.onBinary(frame.content());
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
                subscriber.onClosed();
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
            subscriber.onConnectFailed(kind);
            // the subscriber never counted as up, so the close that follows is not counted as a disconnect
            ctx.close();
        }

        private String upgradeFailureKind(final Throwable cause) {
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (cause instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
                return "upgrade-rejected:" + handshake.response().status().code();
            }
            if (root instanceof SSLException) {
                return "tls:" + root.getClass().getSimpleName();
            }
            return "upgrade:" + root.getClass().getSimpleName();
        }
    }
}
