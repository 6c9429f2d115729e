package io.ticker.server;

import io.ticker.feed.AeronConnection;
import io.ticker.feed.FeedBurstOptions;
import io.ticker.feed.FeedBursts;
import io.ticker.feed.FeedSimulator;
import io.ticker.feed.IdleStrategies;
import io.ticker.feed.ManifestVersion;
import io.ticker.feed.OneLineErrors;
import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.DurationText;
import io.ticker.server.admission.OriginPolicy;
import io.ticker.server.book.QuoteHistory;
import io.ticker.server.ingest.AeronFeedIngest;
import io.ticker.server.ingest.FeedSource;
import io.ticker.server.ring.WaitStrategies;
import io.ticker.server.socket.InboundMessageReader;
import io.ticker.server.tls.ServerTls;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code java -jar ticker-server.jar}: starts the server with its embedded feed and runs until SIGTERM or SIGINT,
 * which drain it gracefully (close 1001 to every client) and exit 0.
 */
@Command(
    name = "ticker-server",
    mixinStandardHelpOptions = true,
    versionProvider = ManifestVersion.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Streams live quotes over WebSocket (ws://HOST:PORT/ws, contract ticker.v1) from an embedded feed, "
            + "sequenced by an LMAX Disruptor ring; serves the ticker page, /api/symbols, /health and /metrics.",
        "SIGTERM or Ctrl-C drains: /health turns 503, clients get close 1001, the process exits 0.", ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped cleanly", "1:failed to start or run", "2:bad usage"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  ticker-server --port 8080 --rate 20000",
        "  ticker-server --tls-self-signed --auth-tokens tokens.txt",
        "  ticker-server --feed aeron:udp?endpoint=localhost:40123"})
public final class TickerServerMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = ServerConfig.HOST_DEFAULT,
        description = "Address to listen on; '::' is every interface, IPv4 and IPv6. Default: ${DEFAULT-VALUE}")
    private String host;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "" + ServerConfig.PORT_DEFAULT,
        description = "TCP port for HTTP and WebSocket; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    private int port;

    @Option(names = "--symbols", paramLabel = "N", defaultValue = "" + SymbolUniverse.SYMBOLS_DEFAULT,
        description = "Symbols in the embedded feed's universe (1-20000). Default: ${DEFAULT-VALUE}")
    private int symbols;

    @Option(names = "--rate", paramLabel = "PER_SECOND", defaultValue = "5000",
        description = "Updates per second across all symbols from the embedded feed. Default: ${DEFAULT-VALUE}")
    private double rate;

    @Option(names = "--feed-tick", paramLabel = "DURATION", defaultValue = "1ms",
        description = "How often the embedded feed wakes to make the updates due since then (one ring batch per "
            + "tick, as the comparison peers' 1 ms feed timers). Updates are stamped when made, so this shapes "
            + "batching, not measured latency; 0 wakes every few microseconds instead. Default: ${DEFAULT-VALUE}")
    private Duration feedTick;

    @Option(names = "--zipf", paramLabel = "EXPONENT", defaultValue = "" + FeedSimulator.ZIPF_EXPONENT_DEFAULT,
        description = "Skew of activity across symbols: 0 uniform, ~1 like a real market. Default: ${DEFAULT-VALUE}")
    private double zipf;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "" + FeedSimulator.SEED_DEFAULT,
        description = "Seed of the feed: same seed, same symbols and prices. Default: ${DEFAULT-VALUE}")
    private long seed;

    @Mixin
    private FeedBurstOptions burstOptions;

    @Mixin
    private OneLineErrors.VerboseOption verboseOption;

    @Option(names = "--ping-interval", paramLabel = "DURATION", defaultValue = "15s",
        description = "WebSocket ping interval; a connection silent for 3 intervals is closed. "
            + "Default: ${DEFAULT-VALUE}")
    private Duration pingInterval;

    @Option(names = "--send-buffer", paramLabel = "BYTES", defaultValue = "" + ServerConfig.SEND_BUFFER_BYTES_DEFAULT,
        description = "Kernel send buffer (SO_SNDBUF) of each client socket: what a client that stops reading pins "
            + "in kernel memory (Linux doubles it), and how soon a slow client is conflated. 0 leaves it to the OS, "
            + "which on Linux grows it to net.ipv4.tcp_wmem's maximum (4 MiB) for a slow reader. "
            + "Default: ${DEFAULT-VALUE}")
    private int sendBuffer;

    @Option(names = "--max-queued-bytes", paramLabel = "BYTES",
        defaultValue = "" + ServerConfig.MAX_QUEUED_BYTES_PER_CONNECTION_DEFAULT,
        description = "Output one connection may hold for a client that has not taken its last frame (replies, "
            + "snapshots, conflated quotes); more gets close 1008 and the memory freed. Default: ${DEFAULT-VALUE}")
    private long maxQueuedBytes;

    @Option(names = "--max-queued-total", paramLabel = "BYTES", defaultValue = "0",
        description = "Queued output of all connections together; from 3/4 of it upgrades get 503, past it the "
            + "clients holding the most are closed with 1008. 0 = a quarter of the heap (-Xmx). "
            + "Default: ${DEFAULT-VALUE}")
    private long maxQueuedTotal;

    @Option(names = "--max-message-size", paramLabel = "BYTES",
        defaultValue = "" + ServerConfig.MAX_MESSAGE_SIZE_BYTES_DEFAULT,
        description = "Largest inbound message; larger ones get close 1009. Default: ${DEFAULT-VALUE}")
    private int maxMessageSize;

    @Option(names = "--max-subscriptions", paramLabel = "N",
        defaultValue = "" + ServerConfig.MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT,
        description = "Symbols one connection may subscribe to; more gets SUBSCRIPTION_LIMIT. "
            + "Default: ${DEFAULT-VALUE}")
    private int maxSubscriptions;

    @Option(names = "--ring-size", paramLabel = "SLOTS", defaultValue = "" + ServerConfig.RING_SIZE_DEFAULT,
        description = "Slots in the Disruptor ring, a power of two. Default: ${DEFAULT-VALUE}")
    private int ringSize;

    @Option(names = "--history", paramLabel = "UPDATES", defaultValue = "" + ServerConfig.HISTORY_UPDATES_DEFAULT,
        description = "Recent updates held so that a client resuming with 'since' gets the quotes it missed "
            + "(0 holds none; " + QuoteHistory.BYTES_PER_UPDATE + " bytes each). Default: ${DEFAULT-VALUE}")
    private int history;

    @Option(names = "--wait-strategy", paramLabel = "NAME", defaultValue = ServerConfig.WAIT_STRATEGY_DEFAULT,
        description = "How the ring is consumed: " + WaitStrategies.NAMES + ". 'inline' runs the fan-out on the "
            + "feed's thread after each burst (no consumer thread, one hand-off fewer); 'blocking' parks a consumer "
            + "thread between bursts; 'yielding' and 'busy-spin' burn a core for lower latency. "
            + "Default: ${DEFAULT-VALUE}")
    private String waitStrategy;

    @Option(names = "--io-threads", paramLabel = "N",
        description = "Undertow IO threads, each owning a fan-out shard. Default: ${DEFAULT-VALUE} (cores, min 2)")
    private int ioThreads = ServerConfig.IO_THREADS_DEFAULT;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "2s",
        description = "On stop, how long clients get to answer close 1001. Default: ${DEFAULT-VALUE}")
    private Duration drainTimeout;

    @Option(names = "--allowed-origins", paramLabel = "ORIGIN", split = ",",
        description = "Browser origins allowed to open a WebSocket besides the server's own host, e.g. "
            + "https://example.com; '*' allows any. Other origins get 403. Default: same host only")
    private List<String> allowedOrigins = List.of();

    @Option(names = "--public-host", paramLabel = "NAME[:PORT]", split = ",",
        description = "Names clients reach this server by (e.g. ticker.example.com, or with a port); then an upgrade "
            + "whose Host is none of them gets 403, and a browser page counts as same host only if its Origin is one "
            + "of them, so a page whose name points at this server by DNS rebinding is refused. Default: none, the "
            + "Host header is trusted")
    private List<String> publicHosts = ServerConfig.PUBLIC_HOSTS_DEFAULT;

    @Option(names = "--auth-tokens", paramLabel = "FILE",
        description = "File of bearer tokens, one per line; clients then need ?token= or Authorization: Bearer, "
            + "or get 401. Default: no tokens needed")
    private Path authTokens;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerConfig.MAX_CONNECTIONS_DEFAULT,
        description = "Open WebSocket connections in all; more get 503. Default: ${DEFAULT-VALUE}")
    private int maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
        defaultValue = "" + ServerConfig.MAX_CONNECTIONS_PER_ADDRESS_DEFAULT,
        description = "Open connections from one client address; more get 503. 0 = no cap. Default: ${DEFAULT-VALUE}")
    private int maxConnectionsPerIp;

    @Option(names = "--connect-rate-per-ip", paramLabel = "PER_SECOND",
        defaultValue = "" + ServerConfig.CONNECT_RATE_PER_ADDRESS_DEFAULT,
        description = "New connections per second from one address (burst of as many); faster get 429. 0 = no "
            + "limit. Default: ${DEFAULT-VALUE}")
    private double connectRatePerIp;

    @Option(names = "--auth-failure-rate-per-ip", paramLabel = "PER_SECOND",
        defaultValue = "" + ServerConfig.AUTH_FAILURE_RATE_PER_ADDRESS_DEFAULT,
        description = "With --auth-tokens: failed token checks per second one address may make once its burst is "
            + "spent; then it gets 429 before its token is checked. 0 = no limit. Default: ${DEFAULT-VALUE}")
    private double authFailureRatePerIp;

    @Option(names = "--auth-failure-burst", paramLabel = "N",
        defaultValue = "" + ServerConfig.AUTH_FAILURE_BURST_DEFAULT,
        description = "Failed token checks one address may make at once before --auth-failure-rate-per-ip applies. "
            + "Default: ${DEFAULT-VALUE}")
    private double authFailureBurst;

    @Option(names = "--stall-timeout", paramLabel = "DURATION", defaultValue = "30s",
        description = "How long a client may leave a frame untaken (reading nothing) before it is closed with 1008 "
            + "and its memory freed; meanwhile it is conflated. Default: ${DEFAULT-VALUE}")
    private Duration stallTimeout;

    @Option(names = "--command-rate", paramLabel = "PER_SECOND",
        defaultValue = "" + ServerConfig.COMMAND_RATE_PER_SECOND_DEFAULT,
        description = "Commands per second one connection may send; more get RATE_LIMITED, and persisting gets "
            + "close 1008. 0 = no limit. Default: ${DEFAULT-VALUE}")
    private double commandRate;

    @Option(names = "--command-burst", paramLabel = "N", defaultValue = "" + ServerConfig.COMMAND_BURST_DEFAULT,
        description = "Commands one connection may send at once before the rate applies. Default: ${DEFAULT-VALUE}")
    private double commandBurst;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
        description = "How long a connection may stay without sending a command; then close 1008. The browser page "
            + "subscribes at once. Default: ${DEFAULT-VALUE}")
    private Duration idleTimeout;

    @Option(names = "--max-firehose", paramLabel = "N",
        defaultValue = "" + ServerConfig.MAX_FIREHOSE_SUBSCRIBERS_DEFAULT,
        description = "Connections subscribed to every symbol ('*') in all; more get SUBSCRIPTION_LIMIT. '*' also "
            + "counts as every symbol against --max-subscriptions. Default: ${DEFAULT-VALUE}")
    private int maxFirehose;

    @Option(names = "--inbound-frame-rate", paramLabel = "PER_SECOND",
        defaultValue = "" + ServerConfig.INBOUND_FRAME_RATE_PER_SECOND_DEFAULT,
        description = "Frames of any kind (data, fragments, pings, pongs) one connection may send per second; a "
            + "client that empties its burst gets close 1008. 0 = no limit. Default: ${DEFAULT-VALUE}")
    private double inboundFrameRate;

    @Option(names = "--inbound-frame-burst", paramLabel = "N",
        defaultValue = "" + ServerConfig.INBOUND_FRAME_BURST_DEFAULT,
        description = "Frames one connection may send at once before --inbound-frame-rate applies. "
            + "Default: ${DEFAULT-VALUE}")
    private double inboundFrameBurst;

    @Option(names = "--max-flush-delay", paramLabel = "DURATION", defaultValue = "0",
        description = "How long each IO thread may hold subscribers' quotes to send more per write: fewer system "
            + "calls per quote for at most this much latency. 0 sends at the end of every ring batch. "
            + "Default: ${DEFAULT-VALUE}")
    private Duration maxFlushDelay;

    @Option(names = "--compression",
        description = "Offer permessage-deflate to clients that ask for it (context takeover, 15-bit window). Costs "
            + "CPU per frame and about 300 KB of native memory per compressed connection. Default: off")
    private boolean compression;

    @Option(names = "--compression-level", paramLabel = "1-9",
        defaultValue = "" + ServerConfig.COMPRESSION_LEVEL_DEFAULT,
        description = "Deflate level with --compression: 1 fastest, 9 smallest. Default: ${DEFAULT-VALUE}")
    private int compressionLevel;

    @Option(names = "--write-path", paramLabel = "direct|undertow", defaultValue = "direct",
        description = "How frames reach the socket: direct writes header and payload in one system call; undertow "
            + "goes through Undertow's WebSocket send API (for comparison; connections with an extension always "
            + "do). Default: ${DEFAULT-VALUE}")
    private String writePath;

    @Option(names = "--max-fragments", paramLabel = "N",
        defaultValue = "" + ServerConfig.MAX_FRAGMENTS_PER_MESSAGE_DEFAULT,
        description = "Frames one inbound message may arrive in; more get close 1009. Default: ${DEFAULT-VALUE}")
    private int maxFragments;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
        description = "How long a TCP connection may take to send a complete request; slower ones (headers "
            + "trickled, or nothing sent) are closed. Default: ${DEFAULT-VALUE}")
    private Duration handshakeTimeout;

    @Option(names = "--max-header-size", paramLabel = "BYTES",
        defaultValue = "" + ServerConfig.MAX_HEADER_BYTES_DEFAULT,
        description = "Largest HTTP request head; larger requests are refused. Default: ${DEFAULT-VALUE}")
    private int maxHeaderSize;
    @Option(names = "--feed", paramLabel = "SOURCE", defaultValue = FeedSource.EMBEDDED,
        description = "Where quotes come from: 'embedded' (the simulator in this process) or the Aeron channel of "
            + "a feed-simulator --publish process, e.g. aeron:udp?endpoint=localhost:40123, or for MDC "
            + "'aeron:udp?endpoint=localhost:0|control=localhost:40456|control-mode=dynamic'. --symbols and --seed "
            + "must be the feed's. Default: ${DEFAULT-VALUE}")
    private String feed;

    @Option(names = "--feed-stream-id", paramLabel = "ID", defaultValue = "" + AeronConnection.STREAM_ID_DEFAULT,
        description = "Aeron stream id of the feed. Default: ${DEFAULT-VALUE}")
    private int feedStreamId;

    @Option(names = "--aeron-dir", paramLabel = "DIR",
        description = "Use the external Aeron media driver in DIR; by default an embedded one runs in this process.")
    private String aeronDir;

    @Option(names = "--feed-idle-strategy", paramLabel = "NAME", defaultValue = AeronFeedIngest.IDLE_STRATEGY_DEFAULT,
        description = "How the Aeron feed thread waits for messages: sleeping-millis, sleeping, backoff (parks at "
            + "most 100us), yielding, busy-spin; the last two burn a core. Default: ${DEFAULT-VALUE}")
    private String feedIdleStrategy;

    @Option(names = "--replay", paramLabel = "FILE",
        description = "Play a recording (feed-simulator --out JSON lines) in place of the embedded simulator.")
    private Path replay;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "1",
        description = "With --replay: 1 is the recorded pace, N times faster, 0 as fast as possible. "
            + "Default: ${DEFAULT-VALUE}")
    private double speed;

    @Option(names = "--tls-cert", paramLabel = "PEM",
        description = "Certificate chain (PEM) to serve HTTPS and wss:// on the port; needs --tls-key")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM",
        description = "Private key (unencrypted PKCS#8 PEM, RSA or EC) of --tls-cert")
    private Path tlsKey;

    @Option(names = "--tls-keystore", paramLabel = "P12",
        description = "PKCS#12 keystore with the server's key and certificate, instead of PEM files")
    private Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
        description = "Password of --tls-keystore; give the flag alone to be asked for it. Default: empty")
    private char[] tlsKeystorePassword = new char[0];

    @Option(names = "--tls-self-signed",
        description = "Serve TLS with a certificate made at start for localhost: for demos; clients must trust it "
            + "explicitly (the load generator's --insecure)")
    private boolean tlsSelfSigned;

    /** Keeps the library loggers quiet below warnings; held so the settings are not garbage collected. */
    private static final List<java.util.logging.Logger> QUIET_LOGGERS = List.of(
        java.util.logging.Logger.getLogger("org.xnio"), java.util.logging.Logger.getLogger("io.undertow"));

    /** Entry point. */
    public static void main(final String[] args) {
        QUIET_LOGGERS.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        System.exit(commandLine().execute(args));
    }

    /** The command line with the project's converters; tests run it with captured output. */
    public static CommandLine commandLine() {
        return OneLineErrors.install(new CommandLine(new TickerServerMain())
            .registerConverter(Duration.class, DurationText::parse));
    }

    @Override
    public Integer call() {
        final ServerConfig config = toConfig();
        final PrintWriter out = spec.commandLine().getOut();
        final String heapFlags = HeapFootprint.applyToThisJvm();
        final TickerServer server = started(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Runnable stop = () -> {
            out.println("ticker-server: draining");
            out.flush();
            server.drainAndStop();
            stopped.countDown();
        };
        Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "ticker-drain").start());
        Signal.handle(new Signal("INT"), signal -> new Thread(stop, "ticker-drain").start());
        final boolean simulated = config.replayFile() == null && FeedSource.EMBEDDED.equals(config.feed());
        // The rate is the simulator's setting; a recording or an Aeron feed sets its own pace.
        out.printf("ticker-server: listening on %s://%s:%d/ (WebSocket /ws), %d symbols%s%n",
            config.tls() == null ? "http" : "https", displayHost(config.host()), server.port(),
            server.universe().size(), simulated ? String.format(" at %.0f updates/s", config.ratePerSecond()) : "");
        if (!config.feedBursts().isSteady()) {
            out.printf("ticker-server: the feed bursts to %.0f updates/s for %d ms every %d ms%n",
                config.ratePerSecond() * config.feedBursts().factor(), config.feedBursts().lengthNanos() / 1_000_000,
                config.feedBursts().periodNanos() / 1_000_000);
        }
        if (!heapFlags.isEmpty()) {
            out.printf("ticker-server: free heap goes back to the OS after collections (%s; give either flag to"
                + " override)%n", heapFlags);
        }
        if (!InboundMessageReader.fragmentCapAvailable()) {
            out.println("ticker-server: warning: this Undertow hides its frame count; --max-fragments is not enforced");
        }
        if (!server.drainsBeforeAccepts()) {
            out.println("ticker-server: warning: this Undertow hides its listeners; a burst of new connections holds"
                + " quotes back until their handshakes are done");
        }
        if (!simulated) {
            out.printf("ticker-server: quotes from %s%n", config.replayFile() != null
                ? "the recording " + config.replayFile() : "the feed on " + config.feed());
        }
        out.flush();
        try {
            stopped.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            server.drainAndStop();
        }
        out.println("ticker-server: stopped");
        out.flush();
        return 0;
    }

    /** Starts the server; a port another process holds becomes a one-line failure saying what to do. */
    private static TickerServer started(final ServerConfig config) {
        try {
            return TickerServer.start(config);
        } catch (final RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof java.net.BindException) {
                    throw new OneLineErrors.Failure("cannot listen on " + displayHost(config.host()) + ":"
                        + config.port() + ": the port is in use or the address is not this machine's; stop the "
                        + "other server or choose another --port (or --host)", e);
                }
            }
            throw e;
        }
    }

    ServerConfig toConfig() {
        require(port >= 0 && port <= 65_535, "--port", "must be 0-65535, was " + port);
        require(symbols >= 1 && symbols <= 20_000, "--symbols", "must be 1-20000, was " + symbols);
        require(rate > 0 && rate <= 10_000_000, "--rate", "must be above 0 and at most 10000000, was " + rate);
        require(!feedTick.isNegative() && feedTick.toMillis() <= 100, "--feed-tick",
            "must be 0 to 100ms, was " + DurationText.format(feedTick));
        require(zipf >= 0, "--zipf", "must be 0 or more, was " + zipf);
        require(!pingInterval.isZero() && !pingInterval.isNegative(), "--ping-interval", "must be positive");
        require(sendBuffer == 0 || sendBuffer >= 4096, "--send-buffer",
            "must be 0 (the OS decides) or at least 4096 bytes, was " + sendBuffer);
        require(maxQueuedBytes >= 64 * 1024, "--max-queued-bytes", "must be at least 65536, was " + maxQueuedBytes);
        require(maxQueuedTotal >= 0, "--max-queued-total", "must be 0 (a quarter of the heap) or more");
        require(maxMessageSize >= 128, "--max-message-size", "must be at least 128 bytes, was " + maxMessageSize);
        require(maxSubscriptions >= 1, "--max-subscriptions", "must be at least 1");
        require(ringSize >= 64 && Integer.bitCount(ringSize) == 1, "--ring-size",
            "must be a power of two of at least 64, was " + ringSize);
        require(history >= 0 && history <= ServerConfig.HISTORY_UPDATES_MAX, "--history",
            "must be 0 to " + ServerConfig.HISTORY_UPDATES_MAX + " updates, was " + history);
        require(ioThreads >= 1 && ioThreads <= 64, "--io-threads", "must be 1-64, was " + ioThreads);
        require(!stallTimeout.isNegative() && !stallTimeout.isZero(), "--stall-timeout", "must be positive");
        require(!handshakeTimeout.isNegative() && !handshakeTimeout.isZero(), "--handshake-timeout",
            "must be positive");
        require(commandRate >= 0, "--command-rate", "must be 0 or more");
        require(commandBurst >= 1, "--command-burst", "must be at least 1");
        require(maxFirehose >= 0, "--max-firehose", "must be 0 or more");
        require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "--idle-timeout", "must be positive");
        require(inboundFrameRate >= 0, "--inbound-frame-rate", "must be 0 or more");
        require(inboundFrameBurst >= 1, "--inbound-frame-burst", "must be at least 1");
        require(maxFragments >= 1, "--max-fragments", "must be at least 1");
        require(!maxFlushDelay.isNegative() && maxFlushDelay.toMillis() <= 1_000, "--max-flush-delay",
            "must be 0 to 1s, was " + DurationText.format(maxFlushDelay));
        require(compressionLevel >= 1 && compressionLevel <= 9, "--compression-level",
            "must be 1-9, was " + compressionLevel);
        require("direct".equals(writePath) || "undertow".equals(writePath), "--write-path",
            "must be direct or undertow, was " + writePath);
        require(maxHeaderSize >= 1024, "--max-header-size", "must be at least 1024 bytes");
        require(maxConnections >= 1, "--max-connections", "must be at least 1, was " + maxConnections);
        require(maxConnectionsPerIp >= 0, "--max-connections-per-ip", "must be 0 or more");
        require(connectRatePerIp >= 0, "--connect-rate-per-ip", "must be 0 or more");
        require(authFailureRatePerIp >= 0, "--auth-failure-rate-per-ip", "must be 0 or more");
        require(authFailureBurst >= 1, "--auth-failure-burst", "must be at least 1");
        for (final String publicHost : publicHosts) {
            final String problem = OriginPolicy.validPublicHost(publicHost);
            require(problem == null, "--public-host", problem);
        }
        requireReadable(authTokens, "--auth-tokens", "a readable file of bearer tokens, one per line");
        validateFeed();
        final FeedBursts bursts = burstOptions.toBursts(spec.commandLine());
        require(bursts.isSteady() || (FeedSource.EMBEDDED.equals(feed) && replay == null), "--burst-every",
            "shapes the embedded simulator's rate; it cannot go with --feed or --replay");
        try {
            WaitStrategies.byName(waitStrategy);
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--wait-strategy': "
                + e.getMessage());
        }
        return new ServerConfig()
            .tls(tls())
            .host(host)
            .port(port)
            .symbols(symbols)
            .ratePerSecond(rate)
            .feedBursts(bursts)
            .zipfExponent(zipf)
            .seed(seed)
            .pingIntervalMs(millis(pingInterval))
            .maxMessageSizeBytes(maxMessageSize)
            .maxSubscriptionsPerConnection(maxSubscriptions)
            .ringSize(ringSize)
            .historyUpdates(history)
            .waitStrategy(waitStrategy)
            .ioThreads(ioThreads)
            .drainTimeoutMs(millis(drainTimeout))
            .allowedOrigins(allowedOrigins)
            .authTokensFile(authTokens)
            .maxConnections(maxConnections)
            .maxConnectionsPerAddress(maxConnectionsPerIp)
            .connectRatePerAddress(connectRatePerIp)
            .authFailureRatePerAddress(authFailureRatePerIp)
            .authFailureBurst(authFailureBurst)
            .publicHosts(publicHosts)
            .stallTimeoutMs(millis(stallTimeout))
            .commandRatePerSecond(commandRate)
            .commandBurst(commandBurst)
            .inboundFrameRatePerSecond(inboundFrameRate)
            .inboundFrameBurst(inboundFrameBurst)
            .maxFirehoseSubscribers(maxFirehose)
            .idleTimeoutMs(millis(idleTimeout))
            .handshakeTimeoutMs(millis(handshakeTimeout))
            .maxHeaderBytes(maxHeaderSize)
            .maxFragmentsPerMessage(maxFragments)
            .maxFlushDelayNanos(maxFlushDelay.toNanos())
            .compression(compression)
            .compressionLevel(compressionLevel)
            .directWrites("direct".equals(writePath))
            .feedTickNanos(feedTick.toNanos())
            .sendBufferBytes(sendBuffer)
            .maxQueuedBytesPerConnection(maxQueuedBytes)
            .maxQueuedBytesTotal(maxQueuedTotal)
            .feed(feed)
            .feedStreamId(feedStreamId)
            .aeronDir(aeronDir)
            .feedIdleStrategy(feedIdleStrategy)
            .replayFile(replay)
            .replaySpeed(speed);
    }

    private void validateFeed() {
        if (!FeedSource.EMBEDDED.equals(feed)) {
            try {
                AeronConnection.validateChannel(feed);
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--feed': "
                    + e.getMessage() + " (or 'embedded')");
            }
            require(replay == null, "--replay", "plays into the embedded feed; it cannot go with --feed " + feed);
        }
        if (!AeronFeedIngest.IDLE_STRATEGY_DEFAULT.equals(feedIdleStrategy)) {
            try {
                IdleStrategies.byName(feedIdleStrategy);
            } catch (final IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--feed-idle-strategy': "
                    + e.getMessage());
            }
        }
        requireReadable(replay, "--replay", "a recording written by feed-simulator --out");
        require(speed >= 0 && !Double.isInfinite(speed), "--speed", "must be 0 or more, was " + speed);
    }

    private ServerTls tls() {
        final int sources = (tlsCert != null || tlsKey != null ? 1 : 0) + (tlsKeystore != null ? 1 : 0)
            + (tlsSelfSigned ? 1 : 0);
        require(sources <= 1, "--tls-self-signed",
            "choose one of --tls-cert/--tls-key, --tls-keystore or --tls-self-signed");
        try {
            if (tlsCert != null || tlsKey != null) {
                require(tlsCert != null && tlsKey != null, tlsCert == null ? "--tls-cert" : "--tls-key",
                    "--tls-cert and --tls-key go together");
                requireReadable(tlsCert, "--tls-cert", "a readable PEM certificate chain");
                requireReadable(tlsKey, "--tls-key", "a readable unencrypted PKCS#8 PEM key");
                return ServerTls.fromPem(tlsCert, tlsKey);
            }
            if (tlsKeystore != null) {
                requireReadable(tlsKeystore, "--tls-keystore", "a readable PKCS#12 keystore");
                return ServerTls.fromPkcs12(tlsKeystore, tlsKeystorePassword);
            }
            return tlsSelfSigned ? ServerTls.selfSigned() : null;
        } catch (final java.io.IOException | java.security.GeneralSecurityException e) {
            final String flag = tlsKeystore != null ? "--tls-keystore" : tlsSelfSigned ? "--tls-self-signed"
                : "--tls-cert";
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + flag + "': "
                + e.getMessage());
        }
    }

    /** Names the file a flag gives that cannot be read, why, in words rather than an exception's, and what to give. */
    private void requireReadable(final Path file, final String option, final String wanted) {
        if (file != null && !Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': cannot read "
                + file + (Files.exists(file) ? " (no permission to read it)" : " (no such file)") + "; give "
                + wanted);
        }
    }

    private static int millis(final Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    private void require(final boolean condition, final String option, final String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + message);
        }
    }

    private static String displayHost(final String host) {
        return "::".equals(host) || "0.0.0.0".equals(host) ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }
}
