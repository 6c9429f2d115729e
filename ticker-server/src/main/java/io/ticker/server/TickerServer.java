package io.ticker.server;

import io.ticker.feed.QuoteSink;
import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.ErrorCode;
import io.ticker.protocol.Subprotocols;
import io.ticker.server.admission.AdmissionSettings;
import io.ticker.server.admission.AuthFailureLimiter;
import io.ticker.server.admission.ConnectionLimiter;
import io.ticker.server.book.QuoteHistory;
import io.ticker.server.fanout.BatchPublisher;
import io.ticker.server.fanout.FanoutSettings;
import io.ticker.server.fanout.FanoutShard;
import io.ticker.server.fanout.FirehoseSlots;
import io.ticker.server.fanout.LivenessSettings;
import io.ticker.server.fanout.ShardCounters;
import io.ticker.server.fanout.ShardSettings;
import io.ticker.server.ingest.FeedSettings;
import io.ticker.server.ingest.FeedSource;
import io.ticker.server.ingest.FeedStatus;
import io.ticker.server.metrics.AnchoredEpochMicroClock;
import io.ticker.server.ring.QuoteRing;
import io.ticker.server.ring.RingSettings;
import io.ticker.server.socket.TickerEndpoint;
import io.ticker.server.web.HealthHandler;
import io.ticker.server.web.LatencySummary;
import io.ticker.server.web.MetricsHandler;
import io.ticker.server.web.ServerStatus;
import io.ticker.server.web.SymbolsHandler;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;
import org.xnio.XnioIoThread;
import org.xnio.XnioExecutor;
import org.xnio.XnioWorker;

/**
 * The running server and its composition root. An update's path reads top to bottom in {@link #TickerServer}:
 * feed -> ring -> batch publisher -> one fan-out shard per IO thread -> sockets; then the routes on one port.
 *
 * <p>Its length past the composition root is {@link ServerStatus}: one short reading per figure of /health and
 * /metrics, most of them a sum over the shards' counters, kept beside the parts they read rather than in a class
 * that would only forward to them.
 */
public final class TickerServer implements AutoCloseable, ServerStatus {
    /** How often each IO thread checks its subscribers for pings due, silence and stalls. */
    static final long HOUSEKEEPING_INTERVAL_MS = 250;
    /** How often the per-thread latency recorders are drained into the /metrics summaries. */
    static final long LATENCY_COLLECT_INTERVAL_MS = 1_000;
    /**
     * An IO thread whose housekeeping (every {@link #HOUSEKEEPING_INTERVAL_MS}) has not run for this long is wedged:
     * {@code /health/live} answers 503.
     */
    static final long WEDGED_AFTER_NS = 5_000_000_000L;

    private final ListenSettings listen;
    private final FeedSettings feedSettings;
    private final FanoutSettings fanout;
    private final SymbolUniverse universe;
    private final XnioWorker worker;
    private final FanoutShard[] shards;
    private final BatchPublisher publisher;
    private final QuoteRing ring;
    private final Undertow undertow;
    /** Opened after the listener starts, so that /health can say the feed is not yet there. */
    private volatile FeedSource feed;
    private final int port;
    /** Whether each IO thread drains its shard before it takes on a new connection ({@link BeforeEachAccept}). */
    private final boolean drainsBeforeAccepts;
    private final ConnectionLimiter limiter;
    private final AuthFailureLimiter authFailures;
    private final LatencySummary feedToRing;
    private final AnchoredEpochMicroClock ringClock = new AnchoredEpochMicroClock();
    private final LatencySummary ringToSocket;
    private final long startNanos = System.nanoTime();
    private volatile boolean draining;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<XnioExecutor.Key> periodicTasks = new ArrayList<>();
    /** When each IO thread last ran its housekeeping: the liveness check. */
    private final AtomicLongArray housekeptNanos;
    private final boolean networkFeed;
    private long ratePublished;
    private long rateSampledNanos = startNanos;
    private volatile double measuredRatePerSecond;

    private TickerServer(final ServerConfig config) throws IOException {
        listen = config.listen();
        feedSettings = config.feed();
        fanout = config.fanout();
        final RingSettings ringSettings = config.ring();
        final LivenessSettings liveness = config.liveness();
        universe = SymbolUniverse.generate(feedSettings.symbols(), feedSettings.seed());
        worker = ServerAssembly.worker(config);

        shards = new FanoutShard[worker.getIoThreadCount()];
        final Map<XnioIoThread, FanoutShard> shardByThread = new IdentityHashMap<>();
        final ShardSettings shardSettings = new ShardSettings(fanout.maxFlushDelayNanos(),
            fanout.maxQueuedBytesPerConnection(), fanout.queuedBytesBudget() / shards.length,
            new FirehoseSlots(fanout.maxFirehoseSubscribers()),
            TimeUnit.MILLISECONDS.toNanos(liveness.idleTimeoutMs()));
        final QuoteHistory history = new QuoteHistory(ringSettings.historyUpdates());
        for (int i = 0; i < shards.length; i++) {
            final XnioIoThread ioThread = worker.getIoThread(i);
            shards[i] = new FanoutShard(ioThread, universe, history, shardSettings,
                (task, nanos) -> ioThread.executeAfter(task, nanos, TimeUnit.NANOSECONDS));
            shardByThread.put(worker.getIoThread(i), shards[i]);
        }
        publisher = new BatchPublisher(universe, shards, ringClock, history);
        networkFeed = feedSettings.enabled() && feedSettings.replayFile() == null
            && !FeedSource.EMBEDDED.equals(feedSettings.source());
        if (!networkFeed) {
            // One feed session for the server's life, begun now: a restarted server, even with the same seed,
            // starts seq again under another epoch. A network feed's epoch comes with its heartbeats.
            final long epoch = Math.max(1, TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()));
            publisher.startAtEpoch(epoch);
            for (final FanoutShard shard : shards) {
                shard.startAtEpoch(epoch);
            }
        }
        ring = new QuoteRing(ringSettings.ringSize(), ringSettings.waitStrategy(), publisher);
        feedToRing = new LatencySummary(List.of(publisher.feedToRingLatency()), startNanos);
        ringToSocket = new LatencySummary(
            Arrays.stream(shards).map(shard -> shard.counters().ringToSocketLatency()).toList(), startNanos);

        final AdmissionSettings admission = config.admission();
        limiter = ServerAssembly.connectionLimiter(admission);
        authFailures = ServerAssembly.authFailureLimiter(admission);
        final HttpHandler routes = Handlers.path()
            .addExactPath(Subprotocols.WEBSOCKET_PATH, ServerAssembly.webSocketRoute(config, limiter, authFailures,
                this::draining, this::overQueuedBudget,
                new TickerEndpoint(shardByThread, universe, config.connection())))
            .addExactPath("/health", HealthHandler.ready(this))
            .addExactPath("/health/ready", HealthHandler.ready(this))
            .addExactPath("/health/live", HealthHandler.live(this))
            .addExactPath("/metrics", new MetricsHandler(this))
            .addExactPath("/api/symbols", new SymbolsHandler(universe.symbols()))
            .addPrefixPath("/", new ResourceHandler(
                new ClassPathResourceManager(TickerServer.class.getClassLoader(), "web"))
                .setWelcomeFiles("index.html"));

        undertow = ServerAssembly.listen(worker, config, routes);
        // A drain queued behind a burst of new connections waits for one connection's work, not the burst's.
        drainsBeforeAccepts = BeforeEachAccept.install(undertow, () -> {
            final FanoutShard shard = shardByThread.get(Thread.currentThread());
            if (shard != null) {
                shard.drainIfDue();
            }
        });
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();

        ring.start();
        final long pingNanos = TimeUnit.MILLISECONDS.toNanos(liveness.pingIntervalMs());
        final long stallNanos = TimeUnit.MILLISECONDS.toNanos(liveness.stallTimeoutMs());
        periodicTasks.add(worker.getIoThread(0).executeAtInterval(() -> {
            limiter.sweep(System.nanoTime());
            authFailures.sweep(System.nanoTime());
        }, 1, TimeUnit.MINUTES));
        // Merging histograms takes tens of microseconds: a task thread does it, not an IO thread with subscribers.
        periodicTasks.add(worker.getIoThread(0).executeAtInterval(() -> worker.execute(this::collectLatencies),
            LATENCY_COLLECT_INTERVAL_MS, TimeUnit.MILLISECONDS));
        housekeptNanos = new AtomicLongArray(shards.length);
        for (int i = 0; i < shards.length; i++) {
            housekeptNanos.set(i, System.nanoTime());
        }
        for (int i = 0; i < shards.length; i++) {
            final FanoutShard shard = shards[i];
            final int index = i;
            periodicTasks.add(worker.getIoThread(i).executeAtInterval(() -> {
                final long nowNanos = System.nanoTime();
                shard.housekeep(nowNanos, pingNanos, stallNanos);
                housekeptNanos.lazySet(index, nowNanos);
            }, HOUSEKEEPING_INTERVAL_MS, TimeUnit.MILLISECONDS));
        }
        feed = feedSettings.enabled() ? FeedSource.open(feedSettings, universe, ring) : null;
        if (feed != null) {
            feed.start();
        }
    }

    /** Starts a server; with {@code port(0)} it binds a free port, see {@link #port()}. */
    public static TickerServer start(final ServerConfig config) {
        try {
            return new TickerServer(config);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bound TCP port. */
    public int port() {
        return port;
    }

    /**
     * Whether each IO thread delivers its pending quotes before it takes on a new connection; false with an Undertow
     * that hides its listeners, where a burst of connections holds quotes back for as long as their handshakes take.
     */
    public boolean drainsBeforeAccepts() {
        return drainsBeforeAccepts;
    }

    /** The symbols this server quotes. */
    public SymbolUniverse universe() {
        return universe;
    }

    /**
     * Where quotes enter the ring when the embedded feed is off (tests, and network feeds later). One publishing
     * thread at a time: the ring is single-producer.
     */
    public QuoteSink ingest() {
        if (feed != null) {
            throw new IllegalStateException("the embedded feed is the ring's producer");
        }
        return quote -> {
            ring.onQuote(quote);
            ring.endOfBatch();
        };
    }

    /**
     * Graceful stop, as on SIGTERM: /health answers 503, every client gets close 1001 and up to the drain timeout to
     * answer it, then the feed, the ring and the listener stop. Returns when everything is stopped. Idempotent.
     */
    public void drainAndStop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        draining = true;
        final long drainNanos = TimeUnit.MILLISECONDS.toNanos(listen.drainTimeoutMs());
        for (final FanoutShard shard : shards) {
            shard.owner().execute(() -> shard.closeAll(CloseCodes.GOING_AWAY, "server shutting down", drainNanos));
        }
        final long deadline = System.nanoTime() + drainNanos;
        while (connections() > 0 && System.nanoTime() < deadline) {
            sleepMillis(10);
        }
        if (feed != null) {
            feed.close();
        }
        ring.stop();
        undertow.stop();
        // Cancelled first, so that no periodic task fires into a worker that is shutting down.
        periodicTasks.forEach(XnioExecutor.Key::remove);
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        drainAndStop();
    }

    private void collectLatencies() {
        ringClock.anchor();
        final long nowNanos = System.nanoTime();
        feedToRing.collect(nowNanos);
        ringToSocket.collect(nowNanos);
        final long published = publisher.quotesPublished();
        measuredRatePerSecond = (published - ratePublished) * 1e9 / Math.max(1, nowNanos - rateSampledNanos);
        ratePublished = published;
        rateSampledNanos = nowNanos;
    }

    private static void sleepMillis(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether queued output is close to its budget: new upgrades get 503 meanwhile (a new connection would only add
     * to it). Below the budget itself, because each shard closes whoever grows past its share at once: queued output
     * never stays over the budget, so a refusal at the budget would never be seen.
     */
    private boolean overQueuedBudget() {
        return queuedBytes() > fanout.queuedBytesBudget() * FanoutSettings.QUEUED_BYTES_UPGRADE_REFUSAL_SHARE;
    }

    // ---- ServerStatus: read by /health and /metrics from Undertow's threads ----

    @Override
    public long queuedBytes() {
        return sumOverShards(ShardCounters::queuedBytes);
    }

    @Override
    public long queueLimitClosed() {
        return sumOverShards(ShardCounters::queueLimitClosed);
    }

    @Override
    public boolean draining() {
        return draining;
    }

    @Override
    public long uptimeSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    }

    @Override
    public int symbols() {
        return universe.size();
    }

    @Override
    public double ratePerSecond() {
        // with bursts, the mean over a period: what a client counting a whole number of periods sees
        return feed != null && !networkFeed && feedSettings.replayFile() == null
            ? feedSettings.ratePerSecond() * feedSettings.feedBursts().meanFactor() : measuredRatePerSecond;
    }

    @Override
    public long epoch() {
        return publisher.epoch();
    }

    @Override
    public String notReadyReason() {
        if (draining) {
            return "draining";
        }
        final FeedSource source = feed;
        if (source == null) {
            // an Aeron client and media driver take a while to start; the embedded feed needs nothing to be live
            return networkFeed ? "connecting to the feed" : null;
        }
        final String notLive = source.notLiveReason(System.nanoTime());
        if (notLive == null && networkFeed && source.feedEpoch() != publisher.epoch()) {
            // the receiver has the new session; the reset is still on its way through the ring
            return "resetting to the feed's new session";
        }
        return notLive;
    }

    @Override
    public String wedgedReason() {
        final long nowNanos = System.nanoTime();
        for (int i = 0; i < housekeptNanos.length(); i++) {
            final long idleNanos = nowNanos - housekeptNanos.get(i);
            if (idleNanos > WEDGED_AFTER_NS && !stopped.get()) {
                return "IO thread " + i + " has not run its housekeeping for " + idleNanos / 1_000_000 + " ms";
            }
        }
        return null;
    }

    @Override
    public long feedSessions() {
        return publisher.resets();
    }

    @Override
    public long lastSeq() {
        return publisher.lastSeq();
    }

    @Override
    public long connections() {
        return sumOverShards(ShardCounters::connections);
    }

    /** Connection slots the admission caps hold now: equal to {@link #connections()} once upgrades settle. */
    public long connectionSlotsTaken() {
        return limiter.open();
    }

    @Override
    public long connectionsOpened() {
        return sumOverShards(ShardCounters::connectionsOpened);
    }

    @Override
    public long subscriptions() {
        return sumOverShards(ShardCounters::subscriptions);
    }

    @Override
    public long firehoseSubscribers() {
        return sumOverShards(ShardCounters::firehoseSubscribers);
    }

    @Override
    public long stalledClosed() {
        return sumOverShards(ShardCounters::stalledClosed);
    }

    @Override
    public long connectionsRefused() {
        return limiter.refused() + authFailures.throttled();
    }

    @Override
    public long authFailures() {
        return authFailures.failures();
    }

    @Override
    public long quotesPublished() {
        return publisher.quotesPublished();
    }

    @Override
    public long batchesPublished() {
        return publisher.batchesPublished();
    }

    @Override
    public long quotesDelivered() {
        return sumOverShards(ShardCounters::quotesDelivered);
    }

    @Override
    public long quotesReplayed() {
        return sumOverShards(ShardCounters::quotesReplayed);
    }

    @Override
    public long quotesConflated() {
        return sumOverShards(ShardCounters::quotesConflated);
    }

    @Override
    public long framesSent() {
        return sumOverShards(ShardCounters::framesSent);
    }

    @Override
    public long bytesSent() {
        return sumOverShards(ShardCounters::bytesSent);
    }

    @Override
    public long errors(final ErrorCode code) {
        return sumOverShards(counters -> counters.errors(code));
    }

    private long sumOverShards(final ToLongFunction<ShardCounters> counter) {
        long sum = 0;
        for (final FanoutShard shard : shards) {
            sum += counter.applyAsLong(shard.counters());
        }
        return sum;
    }

    @Override
    public FeedStatus feedStatus() {
        return feed != null ? feed : FeedStatus.NONE;
    }

    @Override
    public long ringSize() {
        return ring.size();
    }

    @Override
    public long ringRemainingCapacity() {
        return ring.remainingCapacity();
    }

    @Override
    public long ringWaitsForShards() {
        return publisher.waitsForShards();
    }

    @Override
    public LatencySummary.Snapshot feedToRingLatency() {
        return feedToRing.snapshot(System.nanoTime());
    }

    @Override
    public LatencySummary.Snapshot ringToSocketLatency() {
        return ringToSocket.snapshot(System.nanoTime());
    }
}
