package io.ticker.loadgen.connect;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.ticker.loadgen.decode.ByteBufScanner;
import io.ticker.loadgen.measure.ClientLedger;
import io.ticker.loadgen.measure.DeliveryObserver;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.loadgen.settings.SlowClients;
import io.ticker.protocol.BinaryFrameScanner;
import io.ticker.protocol.JsonFrameScanner;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Every client connection of a run on a few Netty event loops (native epoll when available, NIO otherwise):
 * non-blocking sockets, pooled buffers, no thread per connection. Connection {@code i} lives on loop
 * {@code i % loops}, so that each loop owns its clients, its frame scanners and its latency recorder outright.
 * Frames are read as they arrive and scanned in place; nothing is queued to another thread.
 */
public final class ClientPool implements AutoCloseable {
    private final RunSettings settings;
    private final List<Endpoint> endpoints;
    private final ClientLedger.Sinks sinks;
    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final ByteBufScanner[] scanners;
    private final ByteBufScanner[] binaryScanners;
    private final Bootstrap[] bootstraps;
    private final List<SimulatedClient> clients = new ArrayList<>();
    private final String transport;
    private volatile boolean running = true;

    /** Starts the event loops; connections open with {@link #open}. */
    public ClientPool(final RunSettings settings, final List<Endpoint> endpoints, final ClientLedger.Sinks sinks) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.sinks = sinks;
        final int threads = settings.eventLoops();
        final DefaultThreadFactory threadFactory = new DefaultThreadFactory("loadgen-io", true);
        final boolean epoll = Epoll.isAvailable();
        group = epoll ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
        transport = epoll ? "epoll" : "nio";
        loops = new EventLoop[threads];
        scanners = new ByteBufScanner[threads];
        binaryScanners = new ByteBufScanner[threads];
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

    /** The I/O threads' ids, for the CPU watch. */
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
     * Creates client {@code index} and starts its first connect.
     *
     * @param symbolIds its symbols, or null for the firehose
     * @param subscribeCommand the command sent once the WebSocket is open, or null for an idle connection
     * @param isObserver whether this is the delivery observer rather than a subscriber
     */
    public SimulatedClient open(final int index, final int[] symbolIds, final String subscribeCommand,
        final boolean isObserver) {
        final int loop = Math.floorMod(index, loops.length);
        final boolean slow = !isObserver && settings.slowClients().isSlow(index);
        final ClientLedger ledger = new ClientLedger(loop, isObserver, slow, symbolIds, sinks);
        final SimulatedClient client = new SimulatedClient(index, loop, this, subscribeCommand, ledger,
            settings.seed());
        synchronized (clients) {
            clients.add(client);
        }
        loops[loop].execute(() -> connect(client));
        return client;
    }

    /** The clients opened so far (the observer included). */
    public List<SimulatedClient> clients() {
        synchronized (clients) {
            return List.copyOf(clients);
        }
    }

    void scheduleConnect(final SimulatedClient client, final long delayMs) {
        loops[client.loop()].schedule(() -> connect(client), delayMs, TimeUnit.MILLISECONDS);
    }

    private void connect(final SimulatedClient client) {
        if (!running) {
            return;
        }
        final Endpoint endpoint = endpoints.get(client.endpointIndex());
        sinks.counters().connectAttempts.increment();
        final long start = System.nanoTime();
        final Bootstrap bootstrap = bootstraps[client.loop()].clone()
            .handler(new ClientPipeline(client, endpoint, settings, sinks.counters()));
        if (client.isSlow()) {
            bootstrap.option(ChannelOption.SO_RCVBUF, SlowClients.RECEIVE_BUFFER_BYTES);
        }
        final ChannelFuture future = bootstrap.connect(endpoint.address());
        client.connecting(future.channel(), start);
        future.addListener(f -> {
            if (f.isSuccess()) {
                client.tcpConnected(System.nanoTime());
            } else {
                client.onConnectFailed(connectFailureKind(f.cause()));
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
        for (final SimulatedClient client : clients()) {
            loops[client.loop()].execute(() -> {
                final Channel channel = client.channel();
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

    RunCounters counters() {
        return sinks.counters();
    }

    LatencyRecorder recorder() {
        return sinks.recorder();
    }

    DeliveryObserver observer() {
        return sinks.observer();
    }

    ByteBufScanner scanner(final int loop) {
        return scanners[loop];
    }

    ByteBufScanner binaryScanner(final int loop) {
        return binaryScanners[loop];
    }
}
