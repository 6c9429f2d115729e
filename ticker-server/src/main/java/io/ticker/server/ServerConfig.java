package io.ticker.server;

import io.ticker.feed.FeedBursts;
import io.ticker.server.admission.AdmissionSettings;
import io.ticker.server.fanout.FanoutSettings;
import io.ticker.server.fanout.LivenessSettings;
import io.ticker.server.ingest.FeedSettings;
import io.ticker.server.ring.RingSettings;
import io.ticker.server.socket.ConnectionSettings;
import io.ticker.server.tls.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the server, in groups by job, each a record read by the part it configures: {@link #listen()},
 * {@link #feed()}, {@link #admission()}, {@link #connection()}, {@link #ring()}, {@link #fanout()},
 * {@link #liveness()}. Each group's defaults are constants of its record; its flags are a picocli mixin
 * ({@link ListenOptions} and the like) whose fields start at those constants, so {@code new ServerConfig()}, the
 * server without flags and {@code --help} agree by construction.
 *
 * <p>The CLI ({@link TickerServerMain}) fills it from flags; tests and embedders set what they need with the fluent
 * setters below (e.g. {@code new ServerConfig().port(0)}), which take the settings' units. The server reads each
 * group once, at start.
 */
public final class ServerConfig {
    private final ListenOptions listen;
    private final FeedOptions feed;
    private final AdmissionOptions admission;
    private final ConnectionOptions connection;
    private final RingOptions ring;
    private final FanoutOptions fanout;
    private final LivenessOptions liveness;

    /** Every setting at its default. */
    public ServerConfig() {
        this(new ListenOptions(), new FeedOptions(), new AdmissionOptions(), new ConnectionOptions(),
            new RingOptions(), new FanoutOptions(), new LivenessOptions());
    }

    /** The settings the command line's mixins hold. */
    ServerConfig(
        final ListenOptions listen,
        final FeedOptions feed,
        final AdmissionOptions admission,
        final ConnectionOptions connection,
        final RingOptions ring,
        final FanoutOptions fanout,
        final LivenessOptions liveness) {
        this.listen = listen;
        this.feed = feed;
        this.admission = admission;
        this.connection = connection;
        this.ring = ring;
        this.fanout = fanout;
        this.liveness = liveness;
    }

    public ListenSettings listen() {
        return listen.settings();
    }

    public FeedSettings feed() {
        return feed.settings();
    }

    public AdmissionSettings admission() {
        return admission.settings();
    }

    public ConnectionSettings connection() {
        return connection.settings();
    }

    public RingSettings ring() {
        return ring.settings();
    }

    public FanoutSettings fanout() {
        return fanout.settings();
    }

    public LivenessSettings liveness() {
        return liveness.settings();
    }

    // ---- listen ----

    public ServerConfig host(final String host) {
        listen.host = host;
        return this;
    }

    /** The TCP port; 0 picks a free one (tests), read back with {@link TickerServer#port()}. */
    public ServerConfig port(final int port) {
        listen.port = port;
        return this;
    }

    /** Serves HTTPS and wss:// on the one port with this identity; null (the default) serves plain HTTP and ws://. */
    public ServerConfig tls(final ServerTls tls) {
        listen.tls = tls;
        return this;
    }

    public ServerConfig ioThreads(final int ioThreads) {
        listen.ioThreads = ioThreads;
        return this;
    }

    public ServerConfig sendBufferBytes(final int sendBufferBytes) {
        listen.sendBufferBytes = sendBufferBytes;
        return this;
    }

    public ServerConfig maxHeaderBytes(final int maxHeaderBytes) {
        listen.maxHeaderBytes = maxHeaderBytes;
        return this;
    }

    public ServerConfig handshakeTimeoutMs(final int handshakeTimeoutMs) {
        listen.handshakeTimeout = Duration.ofMillis(handshakeTimeoutMs);
        return this;
    }

    public ServerConfig compression(final boolean compression) {
        listen.compression = compression;
        return this;
    }

    public ServerConfig compressionLevel(final int compressionLevel) {
        listen.compressionLevel = compressionLevel;
        return this;
    }

    public ServerConfig drainTimeoutMs(final int drainTimeoutMs) {
        listen.drainTimeout = Duration.ofMillis(drainTimeoutMs);
        return this;
    }

    // ---- feed ----

    /** Whether the server runs a feed at all; tests that publish quotes themselves turn it off. */
    public ServerConfig embeddedFeed(final boolean embeddedFeed) {
        feed.enabled = embeddedFeed;
        return this;
    }

    /** {@code embedded} (the simulator in this process) or the Aeron channel of a feed process. */
    public ServerConfig feed(final String source) {
        feed.source = source;
        return this;
    }

    public ServerConfig symbols(final int symbols) {
        feed.simulation.symbols(symbols);
        return this;
    }

    public ServerConfig ratePerSecond(final double ratePerSecond) {
        feed.simulation.ratePerSecond(ratePerSecond);
        return this;
    }

    public ServerConfig feedBursts(final FeedBursts feedBursts) {
        feed.simulation.bursts(feedBursts);
        return this;
    }

    public ServerConfig zipfExponent(final double zipfExponent) {
        feed.simulation.zipfExponent(zipfExponent);
        return this;
    }

    public ServerConfig seed(final long seed) {
        feed.simulation.seed(seed);
        return this;
    }

    public ServerConfig feedTickNanos(final long feedTickNanos) {
        feed.feedTick = Duration.ofNanos(feedTickNanos);
        return this;
    }

    public ServerConfig feedStreamId(final int feedStreamId) {
        feed.feedStreamId = feedStreamId;
        return this;
    }

    public ServerConfig aeronDir(final String aeronDir) {
        feed.aeronDir = aeronDir;
        return this;
    }

    public ServerConfig feedIdleStrategy(final String feedIdleStrategy) {
        feed.feedIdleStrategy = feedIdleStrategy;
        return this;
    }

    public ServerConfig replayFile(final Path replayFile) {
        feed.replayFile = replayFile;
        return this;
    }

    public ServerConfig replaySpeed(final double replaySpeed) {
        feed.replaySpeed = replaySpeed;
        return this;
    }

    // ---- admission ----

    public ServerConfig allowedOrigins(final List<String> allowedOrigins) {
        admission.allowedOrigins = List.copyOf(allowedOrigins);
        return this;
    }

    public ServerConfig publicHosts(final List<String> publicHosts) {
        admission.publicHosts = List.copyOf(publicHosts);
        return this;
    }

    public ServerConfig authTokensFile(final Path authTokensFile) {
        admission.authTokensFile = authTokensFile;
        return this;
    }

    public ServerConfig maxConnections(final int maxConnections) {
        admission.maxConnections = maxConnections;
        return this;
    }

    public ServerConfig maxConnectionsPerAddress(final int maxConnectionsPerAddress) {
        admission.maxConnectionsPerAddress = maxConnectionsPerAddress;
        return this;
    }

    public ServerConfig connectRatePerAddress(final double connectRatePerAddress) {
        admission.connectRatePerAddress = connectRatePerAddress;
        return this;
    }

    public ServerConfig authFailureRatePerAddress(final double authFailureRatePerAddress) {
        admission.authFailureRatePerAddress = authFailureRatePerAddress;
        return this;
    }

    public ServerConfig authFailureBurst(final double authFailureBurst) {
        admission.authFailureBurst = authFailureBurst;
        return this;
    }

    // ---- connection ----

    public ServerConfig maxSubscriptionsPerConnection(final int maxSubscriptionsPerConnection) {
        connection.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
        return this;
    }

    public ServerConfig maxMessageSizeBytes(final int maxMessageSizeBytes) {
        connection.maxMessageSizeBytes = maxMessageSizeBytes;
        return this;
    }

    public ServerConfig commandRatePerSecond(final double commandRatePerSecond) {
        connection.commandRatePerSecond = commandRatePerSecond;
        return this;
    }

    public ServerConfig commandBurst(final double commandBurst) {
        connection.commandBurst = commandBurst;
        return this;
    }

    public ServerConfig maxFragmentsPerMessage(final int maxFragmentsPerMessage) {
        connection.maxFragmentsPerMessage = maxFragmentsPerMessage;
        return this;
    }

    public ServerConfig inboundFrameRatePerSecond(final double inboundFrameRatePerSecond) {
        connection.inboundFrameRatePerSecond = inboundFrameRatePerSecond;
        return this;
    }

    public ServerConfig inboundFrameBurst(final double inboundFrameBurst) {
        connection.inboundFrameBurst = inboundFrameBurst;
        return this;
    }

    public ServerConfig directWrites(final boolean directWrites) {
        connection.writePath = directWrites ? ConnectionSettings.WRITE_PATH_DIRECT
            : ConnectionSettings.WRITE_PATH_UNDERTOW;
        return this;
    }

    // ---- ring ----

    public ServerConfig ringSize(final int ringSize) {
        ring.ringSize = ringSize;
        return this;
    }

    public ServerConfig waitStrategy(final String waitStrategy) {
        ring.waitStrategy = waitStrategy;
        return this;
    }

    public ServerConfig historyUpdates(final int historyUpdates) {
        ring.historyUpdates = historyUpdates;
        return this;
    }

    // ---- fan-out ----

    public ServerConfig maxFlushDelayNanos(final long maxFlushDelayNanos) {
        fanout.maxFlushDelay = Duration.ofNanos(maxFlushDelayNanos);
        return this;
    }

    public ServerConfig maxQueuedBytesPerConnection(final long maxQueuedBytesPerConnection) {
        fanout.maxQueuedBytesPerConnection = maxQueuedBytesPerConnection;
        return this;
    }

    /** 0 is {@link FanoutSettings#QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT} of the heap. */
    public ServerConfig maxQueuedBytesTotal(final long maxQueuedBytesTotal) {
        fanout.maxQueuedBytesTotal = maxQueuedBytesTotal;
        return this;
    }

    public ServerConfig maxFirehoseSubscribers(final int maxFirehoseSubscribers) {
        fanout.maxFirehoseSubscribers = maxFirehoseSubscribers;
        return this;
    }

    // ---- liveness ----

    public ServerConfig pingIntervalMs(final int pingIntervalMs) {
        liveness.pingInterval = Duration.ofMillis(pingIntervalMs);
        return this;
    }

    public ServerConfig stallTimeoutMs(final int stallTimeoutMs) {
        liveness.stallTimeout = Duration.ofMillis(stallTimeoutMs);
        return this;
    }

    public ServerConfig idleTimeoutMs(final int idleTimeoutMs) {
        liveness.idleTimeout = Duration.ofMillis(idleTimeoutMs);
        return this;
    }
}
