package io.ticker.server;

import io.ticker.feed.FeedBursts;
import io.ticker.feed.ManifestVersion;
import io.ticker.feed.OneLineErrors;
import io.ticker.protocol.DurationText;
import io.ticker.server.ingest.FeedSettings;
import io.ticker.server.socket.InboundMessageReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    private final ListenOptions listen = new ListenOptions();

    @Mixin
    private final FeedOptions feed = new FeedOptions();

    @Mixin
    private final RingOptions ring = new RingOptions();

    @Mixin
    private final ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    private final FanoutOptions fanout = new FanoutOptions();

    @Mixin
    private final LivenessOptions liveness = new LivenessOptions();

    @Mixin
    private final AdmissionOptions admission = new AdmissionOptions();

    @Mixin
    private OneLineErrors.VerboseOption verboseOption;

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
        final ListenSettings listening = config.listen();
        final FeedSettings feeding = config.feed();
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
        final boolean simulated = feeding.simulated();
        // The rate is the simulator's setting; a recording or an Aeron feed sets its own pace.
        out.printf("ticker-server: listening on %s://%s:%d/ (WebSocket /ws), %d symbols%s%n",
            listening.tls() == null ? "http" : "https", displayHost(listening.host()), server.port(),
            server.universe().size(), simulated ? String.format(" at %.0f updates/s", feeding.ratePerSecond()) : "");
        final FeedBursts bursts = feeding.feedBursts();
        if (!bursts.isSteady()) {
            out.printf("ticker-server: the feed bursts to %.0f updates/s for %d ms every %d ms%n",
                feeding.ratePerSecond() * bursts.factor(), bursts.lengthNanos() / 1_000_000,
                bursts.periodNanos() / 1_000_000);
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
            out.printf("ticker-server: quotes from %s%n", feeding.replayFile() != null
                ? "the recording " + feeding.replayFile() : "the feed on " + feeding.source());
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
                    throw new OneLineErrors.Failure("cannot listen on " + displayHost(config.listen().host())
                        + ":" + config.listen().port() + ": the port is in use or the address is not this "
                        + "machine's; stop the other server or choose another --port (or --host)", e);
                }
            }
            throw e;
        }
    }

    /** The settings the flags give, each group checked by its mixin, which names the first bad flag. */
    ServerConfig toConfig() {
        final CommandLine cli = spec.commandLine();
        listen.validate(cli);
        feed.validate(cli);
        ring.validate(cli);
        connection.validate(cli);
        fanout.validate(cli);
        liveness.validate(cli);
        admission.validate(cli);
        return new ServerConfig(listen, feed, admission, connection, ring, fanout, liveness);
    }

    private static String displayHost(final String host) {
        return "::".equals(host) || "0.0.0.0".equals(host) ? "localhost" : host.contains(":") ? "[" + host + "]" : host;
    }
}
