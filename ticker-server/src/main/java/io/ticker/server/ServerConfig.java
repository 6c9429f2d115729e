package io.ticker.server;

import io.ticker.feed.AeronConnection;
import io.ticker.feed.FeedBursts;
import io.ticker.feed.FeedSimulator;
import io.ticker.feed.SymbolUniverse;
import io.ticker.server.ingest.AeronFeedIngest;
import io.ticker.server.ingest.FeedSettings;
import io.ticker.server.ingest.FeedSource;
import io.ticker.server.socket.ConnectionSettings;
import io.ticker.server.tls.ServerTls;
import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of the server: one name, one default constant with its unit in the name, one accessor. The CLI
 * ({@link TickerServerMain}) fills it from flags; tests build it directly with {@code port(0)}.
 */
public final class ServerConfig implements ConnectionSettings, FeedSettings {
    /** Listen on every interface, IPv4 and IPv6. */
    public static final String HOST_DEFAULT = "::";
    public static final int PORT_DEFAULT = 8080;
    public static final int PING_INTERVAL_MS_DEFAULT = 15_000;
    public static final int MAX_MESSAGE_SIZE_BYTES_DEFAULT = 64 * 1024;
    /**
     * Slots in the ring: each holds a preallocated quote (120 bytes), so the ring is 2 MB of heap at this size. The
     * default inline consumer drains the ring at the end of every feed burst and whenever it fills; a consumer thread
     * may fall this far behind (0.3 s at 50,000 updates/s) before the feed waits for it.
     */
    public static final int RING_SIZE_DEFAULT = 16 * 1024;
    /**
     * Updates held for clients that resume with {@code since}: about 13 s of the default 5,000 updates/s feed, in
     * about 8 MB ({@code QuoteHistory.BYTES_PER_UPDATE} each), beyond the few seconds a reconnect or a failover takes.
     */
    public static final int HISTORY_UPDATES_DEFAULT = 64 * 1024;
    /** The most updates {@code --history} may hold: about 1.2 GB. */
    public static final int HISTORY_UPDATES_MAX = 10_000_000;
    public static final String WAIT_STRATEGY_DEFAULT = "inline";
    public static final int DRAIN_TIMEOUT_MS_DEFAULT = 2_000;
    public static final int MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT = 10_000;
    /** Open connections in all; past it upgrades get 503. */
    public static final int MAX_CONNECTIONS_DEFAULT = 100_000;
    /** Open connections from one client address; 0 is no cap (load generators connect from one address). */
    public static final int MAX_CONNECTIONS_PER_ADDRESS_DEFAULT = 0;
    /** New connections per second from one address (token bucket); 0 is no limit. */
    public static final double CONNECT_RATE_PER_ADDRESS_DEFAULT = 0;
    /**
     * Failed token checks per second one address may make once its burst is spent; past it, 429 before the token is
     * looked at. 0 is no limit. A person mistyping a token never meets it; a script guessing tokens is held to it.
     */
    public static final double AUTH_FAILURE_RATE_PER_ADDRESS_DEFAULT = 1;
    /** Failed token checks one address may make at once before {@link #AUTH_FAILURE_RATE_PER_ADDRESS_DEFAULT}. */
    public static final double AUTH_FAILURE_BURST_DEFAULT = 10;
    /**
     * The names clients reach this server by; empty (the default) takes a browser's Origin as the same host when it
     * matches the request's Host header, whatever that names (see {@code --public-host}).
     */
    public static final List<String> PUBLIC_HOSTS_DEFAULT = List.of();
    /** How long a subscriber may leave one frame untaken before it is closed with 1008 and its memory freed. */
    public static final int STALL_TIMEOUT_MS_DEFAULT = 30_000;
    /** Commands per second one connection may send (token bucket refill); 0 is no limit. */
    public static final double COMMAND_RATE_PER_SECOND_DEFAULT = 20;
    /** Commands one connection may send in a burst (token bucket size). */
    public static final double COMMAND_BURST_DEFAULT = 50;
    /**
     * Frames of any kind (data, fragments, pings, pongs) one connection may send per second, refilling its bucket;
     * a browser page sends a few commands and one pong per ping interval.
     */
    public static final double INBOUND_FRAME_RATE_PER_SECOND_DEFAULT = 100;
    /** Frames one connection may send at once before the rate applies; emptying it is closed with 1008. */
    public static final double INBOUND_FRAME_BURST_DEFAULT = 1_000;
    /**
     * Firehose ({@code *}) subscribers in all, the most expensive kind (every update, a snapshot of every symbol);
     * far above the 50 of the firehose load test.
     */
    public static final int MAX_FIREHOSE_SUBSCRIBERS_DEFAULT = 1_000;
    /**
     * How long a connection may stay without sending a command (a connection that never subscribes only holds a
     * slot and is pinged for nothing). The browser page subscribes as soon as it opens; a minute is far beyond it.
     */
    public static final int IDLE_TIMEOUT_MS_DEFAULT = 60_000;
    /** Frames (fragments) one inbound message may arrive in; more is closed with 1009. */
    public static final int MAX_FRAGMENTS_PER_MESSAGE_DEFAULT = 64;
    /** How long a TCP connection may take to send a complete request (headers trickled, or nothing at all). */
    public static final int HANDSHAKE_TIMEOUT_MS_DEFAULT = 10_000;
    /** Largest request head accepted; beyond it the request is refused. */
    public static final int MAX_HEADER_BYTES_DEFAULT = 8 * 1024;
    /** The embedded feed's wake-up period: one ring batch per tick, as the comparison peers' 1 ms feed timers. */
    public static final long FEED_TICK_NANOS_DEFAULT = 1_000_000;
    /** One IO thread per core, at least two: each owns a fan-out shard and writes only its own sockets. */
    public static final int IO_THREADS_DEFAULT = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Deflate level with {@code --compression}: the fastest, which already gets most of the gain on quote JSON. */
    public static final int COMPRESSION_LEVEL_DEFAULT = 1;
    /**
     * SO_SNDBUF of each client socket (Linux doubles it for its own bookkeeping): a client that stops reading pins
     * about 128 KiB of kernel memory, not the 4 MiB autotuning grows to, and a slow one conflates within
     * milliseconds. A full 64 KiB frame fits; on loopback 50 firehose subscribers keep up (FanoutIT).
     */
    public static final int SEND_BUFFER_BYTES_DEFAULT = 64 * 1024;
    /**
     * Output one connection may hold for a client that has not taken its last frame (that frame, replies and
     * snapshots behind it, conflation slots); past it, close 1008. Room for a firehose snapshot of 10,000 symbols.
     */
    public static final long MAX_QUEUED_BYTES_PER_CONNECTION_DEFAULT = 4L * 1024 * 1024;
    /**
     * Share of {@code --max-queued-total} past which new upgrades get 503. Below 1: clients are closed as soon as
     * they grow past the budget, so queued output does not stay above it for a refusal at the budget to be seen.
     */
    public static final double QUEUED_BYTES_UPGRADE_REFUSAL_SHARE = 0.75;
    /** Queued output of all connections together, as a share of the heap, when {@code --max-queued-total} is 0. */
    public static final double QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT = 0.25;

    private String host = HOST_DEFAULT;
    private int port = PORT_DEFAULT;
    private int symbols = SymbolUniverse.SYMBOLS_DEFAULT;
    private double ratePerSecond = FeedSimulator.RATE_PER_SECOND_DEFAULT;
    private FeedBursts feedBursts = FeedBursts.NONE;
    private double zipfExponent = FeedSimulator.ZIPF_EXPONENT_DEFAULT;
    private long seed = FeedSimulator.SEED_DEFAULT;
    private int pingIntervalMs = PING_INTERVAL_MS_DEFAULT;
    private int maxMessageSizeBytes = MAX_MESSAGE_SIZE_BYTES_DEFAULT;
    private int ringSize = RING_SIZE_DEFAULT;
    private int historyUpdates = HISTORY_UPDATES_DEFAULT;
    private String waitStrategy = WAIT_STRATEGY_DEFAULT;
    private int drainTimeoutMs = DRAIN_TIMEOUT_MS_DEFAULT;
    private int maxSubscriptionsPerConnection = MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT;
    private boolean embeddedFeed = true;
    private int ioThreads = IO_THREADS_DEFAULT;
    private List<String> allowedOrigins = List.of();
    private Path authTokensFile;
    private int maxConnections = MAX_CONNECTIONS_DEFAULT;
    private int maxConnectionsPerAddress = MAX_CONNECTIONS_PER_ADDRESS_DEFAULT;
    private double connectRatePerAddress = CONNECT_RATE_PER_ADDRESS_DEFAULT;
    private double authFailureRatePerAddress = AUTH_FAILURE_RATE_PER_ADDRESS_DEFAULT;
    private double authFailureBurst = AUTH_FAILURE_BURST_DEFAULT;
    private List<String> publicHosts = PUBLIC_HOSTS_DEFAULT;
    private int stallTimeoutMs = STALL_TIMEOUT_MS_DEFAULT;
    private ServerTls tls;

    public ServerTls tls() {
        return tls;
    }

    /** Serves HTTPS and wss:// on the one port with this identity; null (the default) serves plain HTTP and ws://. */
    public ServerConfig tls(final ServerTls tls) {
        this.tls = tls;
        return this;
    }
    private int handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS_DEFAULT;
    private int maxFragmentsPerMessage = MAX_FRAGMENTS_PER_MESSAGE_DEFAULT;
    private long maxFlushDelayNanos;
    private boolean compression;
    private int compressionLevel = COMPRESSION_LEVEL_DEFAULT;

    public boolean compression() {
        return compression;
    }

    /** Offers permessage-deflate to clients that ask for it; off by default (CPU and memory per connection). */
    public ServerConfig compression(final boolean compression) {
        this.compression = compression;
        return this;
    }

    public int compressionLevel() {
        return compressionLevel;
    }

    /** Deflate level of compressed connections, 1 (fastest) to 9 (smallest). */
    public ServerConfig compressionLevel(final int compressionLevel) {
        this.compressionLevel = compressionLevel;
        return this;
    }

    private boolean directWrites = true;
    private int sendBufferBytes = SEND_BUFFER_BYTES_DEFAULT;
    private long maxQueuedBytesPerConnection = MAX_QUEUED_BYTES_PER_CONNECTION_DEFAULT;
    private long maxQueuedBytesTotal;

    public long maxQueuedBytesPerConnection() {
        return maxQueuedBytesPerConnection;
    }

    /** Output one connection may queue for a client that is not taking it before it is closed with 1008. */
    public ServerConfig maxQueuedBytesPerConnection(final long maxQueuedBytesPerConnection) {
        this.maxQueuedBytesPerConnection = maxQueuedBytesPerConnection;
        return this;
    }

    /** The budget for all connections' queued output: as set, or the heap share when set to 0. */
    public long maxQueuedBytesTotal() {
        return maxQueuedBytesTotal > 0 ? maxQueuedBytesTotal
            : (long) (Runtime.getRuntime().maxMemory() * QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT);
    }

    /**
     * Queued output of all connections together; from {@link #QUEUED_BYTES_UPGRADE_REFUSAL_SHARE} of it new
     * upgrades get 503, past it the clients that hold the most are closed with 1008. 0 (the
     * default) is {@link #QUEUED_BYTES_TOTAL_HEAP_SHARE_DEFAULT} of the heap.
     */
    public ServerConfig maxQueuedBytesTotal(final long maxQueuedBytesTotal) {
        this.maxQueuedBytesTotal = maxQueuedBytesTotal;
        return this;
    }

    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /** SO_SNDBUF of each accepted socket; 0 leaves it to the OS's autotuning. */
    public ServerConfig sendBufferBytes(final int sendBufferBytes) {
        this.sendBufferBytes = sendBufferBytes;
        return this;
    }
    private long feedTickNanos = FEED_TICK_NANOS_DEFAULT;

    public long feedTickNanos() {
        return feedTickNanos;
    }

    /** How often the embedded feed wakes to make the quotes due since; 0 is a back-off idler waking every few µs. */
    public ServerConfig feedTickNanos(final long feedTickNanos) {
        this.feedTickNanos = feedTickNanos;
        return this;
    }

    public boolean directWrites() {
        return directWrites;
    }

    /**
     * Whether frames are written straight to the socket (the default) or through Undertow's WebSocket send API, which
     * stays for comparison and for connections with an extension.
     */
    public ServerConfig directWrites(final boolean directWrites) {
        this.directWrites = directWrites;
        return this;
    }

    public long maxFlushDelayNanos() {
        return maxFlushDelayNanos;
    }

    /** How long a shard may hold subscribers' output to batch more quotes per write; 0 (default) flushes each drain. */
    public ServerConfig maxFlushDelayNanos(final long maxFlushDelayNanos) {
        this.maxFlushDelayNanos = maxFlushDelayNanos;
        return this;
    }

    public int maxFragmentsPerMessage() {
        return maxFragmentsPerMessage;
    }

    public ServerConfig maxFragmentsPerMessage(final int maxFragmentsPerMessage) {
        this.maxFragmentsPerMessage = maxFragmentsPerMessage;
        return this;
    }
    private int maxHeaderBytes = MAX_HEADER_BYTES_DEFAULT;
    private String feed = FeedSource.EMBEDDED;
    private int feedStreamId = AeronConnection.STREAM_ID_DEFAULT;
    private String aeronDir;
    private String feedIdleStrategy = AeronFeedIngest.IDLE_STRATEGY_DEFAULT;
    private Path replayFile;
    private double replaySpeed = 1;

    public int handshakeTimeoutMs() {
        return handshakeTimeoutMs;
    }

    public ServerConfig handshakeTimeoutMs(final int handshakeTimeoutMs) {
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        return this;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public ServerConfig maxHeaderBytes(final int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
        return this;
    }
    private double commandRatePerSecond = COMMAND_RATE_PER_SECOND_DEFAULT;
    private double commandBurst = COMMAND_BURST_DEFAULT;
    private double inboundFrameRatePerSecond = INBOUND_FRAME_RATE_PER_SECOND_DEFAULT;
    private double inboundFrameBurst = INBOUND_FRAME_BURST_DEFAULT;
    private int maxFirehoseSubscribers = MAX_FIREHOSE_SUBSCRIBERS_DEFAULT;
    private int idleTimeoutMs = IDLE_TIMEOUT_MS_DEFAULT;

    public int idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** How long a connection may stay without sending a command before it is closed with 1008. */
    public ServerConfig idleTimeoutMs(final int idleTimeoutMs) {
        this.idleTimeoutMs = idleTimeoutMs;
        return this;
    }

    public int maxFirehoseSubscribers() {
        return maxFirehoseSubscribers;
    }

    /** Firehose subscribers in all; more get SUBSCRIPTION_LIMIT. */
    public ServerConfig maxFirehoseSubscribers(final int maxFirehoseSubscribers) {
        this.maxFirehoseSubscribers = maxFirehoseSubscribers;
        return this;
    }

    @Override
    public double inboundFrameRatePerSecond() {
        return inboundFrameRatePerSecond;
    }

    /** Frames of any kind one connection may send per second; 0 is no limit. */
    public ServerConfig inboundFrameRatePerSecond(final double inboundFrameRatePerSecond) {
        this.inboundFrameRatePerSecond = inboundFrameRatePerSecond;
        return this;
    }

    @Override
    public double inboundFrameBurst() {
        return inboundFrameBurst;
    }

    /** Frames of any kind one connection may send at once before the rate applies. */
    public ServerConfig inboundFrameBurst(final double inboundFrameBurst) {
        this.inboundFrameBurst = inboundFrameBurst;
        return this;
    }

    public int stallTimeoutMs() {
        return stallTimeoutMs;
    }

    public ServerConfig stallTimeoutMs(final int stallTimeoutMs) {
        this.stallTimeoutMs = stallTimeoutMs;
        return this;
    }

    public double commandRatePerSecond() {
        return commandRatePerSecond;
    }

    public ServerConfig commandRatePerSecond(final double commandRatePerSecond) {
        this.commandRatePerSecond = commandRatePerSecond;
        return this;
    }

    public double commandBurst() {
        return commandBurst;
    }

    public ServerConfig commandBurst(final double commandBurst) {
        this.commandBurst = commandBurst;
        return this;
    }

    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Origins allowed besides the server's own host; {@code *} allows all. Empty: same host only. */
    public ServerConfig allowedOrigins(final List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        return this;
    }

    public Path authTokensFile() {
        return authTokensFile;
    }

    /** A file of bearer tokens, one per line; null (the default) admits without a token. */
    public ServerConfig authTokensFile(final Path authTokensFile) {
        this.authTokensFile = authTokensFile;
        return this;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public ServerConfig maxConnections(final int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public ServerConfig maxConnectionsPerAddress(final int maxConnectionsPerAddress) {
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        return this;
    }

    public double connectRatePerAddress() {
        return connectRatePerAddress;
    }

    public ServerConfig connectRatePerAddress(final double connectRatePerAddress) {
        this.connectRatePerAddress = connectRatePerAddress;
        return this;
    }

    public double authFailureRatePerAddress() {
        return authFailureRatePerAddress;
    }

    /** Failed token checks per second one address may make after its burst; 0 is no limit. */
    public ServerConfig authFailureRatePerAddress(final double authFailureRatePerAddress) {
        this.authFailureRatePerAddress = authFailureRatePerAddress;
        return this;
    }

    public double authFailureBurst() {
        return authFailureBurst;
    }

    /** Failed token checks one address may make at once. */
    public ServerConfig authFailureBurst(final double authFailureBurst) {
        this.authFailureBurst = authFailureBurst;
        return this;
    }

    public List<String> publicHosts() {
        return publicHosts;
    }

    /**
     * The names ({@code name} or {@code name:port}) clients reach this server by: upgrades must name one in Host,
     * and a browser's Origin is the same host only when it is one. Empty trusts the Host header.
     */
    public ServerConfig publicHosts(final List<String> publicHosts) {
        this.publicHosts = List.copyOf(publicHosts);
        return this;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public ServerConfig ioThreads(final int ioThreads) {
        this.ioThreads = ioThreads;
        return this;
    }

    public String host() {
        return host;
    }

    public ServerConfig host(final String host) {
        this.host = host;
        return this;
    }

    public int port() {
        return port;
    }

    /** The TCP port; 0 picks a free one (tests), read back with {@link TickerServer#port()}. */
    public ServerConfig port(final int port) {
        this.port = port;
        return this;
    }

    public int symbols() {
        return symbols;
    }

    public ServerConfig symbols(final int symbols) {
        this.symbols = symbols;
        return this;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** Total updates per second the embedded feed makes across all symbols. */
    public ServerConfig ratePerSecond(final double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    public FeedBursts feedBursts() {
        return feedBursts;
    }

    /** When and how much the embedded feed's rate rises above {@link #ratePerSecond()}; none by default. */
    public ServerConfig feedBursts(final FeedBursts feedBursts) {
        this.feedBursts = feedBursts;
        return this;
    }

    public double zipfExponent() {
        return zipfExponent;
    }

    public ServerConfig zipfExponent(final double zipfExponent) {
        this.zipfExponent = zipfExponent;
        return this;
    }

    public long seed() {
        return seed;
    }

    public ServerConfig seed(final long seed) {
        this.seed = seed;
        return this;
    }

    public int pingIntervalMs() {
        return pingIntervalMs;
    }

    public ServerConfig pingIntervalMs(final int pingIntervalMs) {
        this.pingIntervalMs = pingIntervalMs;
        return this;
    }

    public int maxMessageSizeBytes() {
        return maxMessageSizeBytes;
    }

    public ServerConfig maxMessageSizeBytes(final int maxMessageSizeBytes) {
        this.maxMessageSizeBytes = maxMessageSizeBytes;
        return this;
    }

    public int ringSize() {
        return ringSize;
    }

    public ServerConfig ringSize(final int ringSize) {
        this.ringSize = ringSize;
        return this;
    }

    /** Updates held for resuming clients ({@code --history}). */
    public int historyUpdates() {
        return historyUpdates;
    }

    public ServerConfig historyUpdates(final int historyUpdates) {
        this.historyUpdates = historyUpdates;
        return this;
    }

    public String waitStrategy() {
        return waitStrategy;
    }

    public ServerConfig waitStrategy(final String waitStrategy) {
        this.waitStrategy = waitStrategy;
        return this;
    }

    public int drainTimeoutMs() {
        return drainTimeoutMs;
    }

    public ServerConfig drainTimeoutMs(final int drainTimeoutMs) {
        this.drainTimeoutMs = drainTimeoutMs;
        return this;
    }

    public int maxSubscriptionsPerConnection() {
        return maxSubscriptionsPerConnection;
    }

    public ServerConfig maxSubscriptionsPerConnection(final int maxSubscriptionsPerConnection) {
        this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
        return this;
    }

    public boolean embeddedFeed() {
        return embeddedFeed;
    }

    /** Whether the server runs its own feed; tests that publish quotes themselves turn it off. */
    public ServerConfig embeddedFeed(final boolean embeddedFeed) {
        this.embeddedFeed = embeddedFeed;
        return this;
    }

    public String feed() {
        return feed;
    }

    /** {@code embedded} (the simulator in this process) or the Aeron channel of a feed process. */
    public ServerConfig feed(final String feed) {
        this.feed = feed;
        return this;
    }

    public int feedStreamId() {
        return feedStreamId;
    }

    public ServerConfig feedStreamId(final int feedStreamId) {
        this.feedStreamId = feedStreamId;
        return this;
    }

    public String aeronDir() {
        return aeronDir;
    }

    /** The directory of an external Aeron media driver; null runs an embedded one. */
    public ServerConfig aeronDir(final String aeronDir) {
        this.aeronDir = aeronDir;
        return this;
    }

    public String feedIdleStrategy() {
        return feedIdleStrategy;
    }

    public ServerConfig feedIdleStrategy(final String feedIdleStrategy) {
        this.feedIdleStrategy = feedIdleStrategy;
        return this;
    }

    public Path replayFile() {
        return replayFile;
    }

    /** A recording to play in place of the embedded simulator; null for none. */
    public ServerConfig replayFile(final Path replayFile) {
        this.replayFile = replayFile;
        return this;
    }

    public double replaySpeed() {
        return replaySpeed;
    }

    /** 1 for the recorded pace, N times faster, 0 as fast as possible. */
    public ServerConfig replaySpeed(final double replaySpeed) {
        this.replaySpeed = replaySpeed;
        return this;
    }
}
