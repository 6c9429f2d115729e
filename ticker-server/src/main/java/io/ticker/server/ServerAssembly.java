package io.ticker.server;

import io.ticker.protocol.Subprotocols;
import io.ticker.server.admission.AdmissionHandler;
import io.ticker.server.admission.AdmissionSettings;
import io.ticker.server.admission.AuthFailureLimiter;
import io.ticker.server.admission.ConnectionLimiter;
import io.ticker.server.admission.OriginPolicy;
import io.ticker.server.admission.ThrottledLog;
import io.ticker.server.admission.TokenAuthenticator;
import io.ticker.server.socket.ConnectionSettings;
import io.ticker.server.socket.DeflateExtension;
import io.ticker.server.socket.WebSocketUpgradeHandler;
import io.ticker.server.tls.ServerTls;
import io.ticker.server.web.UpgradeRequiredHandler;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The server's front, in the pieces that do not depend on what a WebSocket carries: the IO worker, the admitted
 * WebSocket route (admission, then the RFC 6455 handshake) and the listener with its handshake timeouts and header
 * limits. {@link TickerServer} puts its endpoint behind them; the conformance echo server in the tests puts an echo
 * behind the very same ones, so the Autobahn suite exercises what production runs.
 */
public final class ServerAssembly {
    private ServerAssembly() {
    }

    /** The XNIO worker: {@link ListenSettings#ioThreads()} IO threads, a small task pool, TCP_NODELAY. */
    public static XnioWorker worker(final ServerConfig config) throws IOException {
        return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
            .set(Options.WORKER_IO_THREADS, config.listen().ioThreads())
            .set(Options.WORKER_TASK_CORE_THREADS, 2)
            .set(Options.WORKER_TASK_MAX_THREADS, 4)
            .set(Options.TCP_NODELAY, true)
            .set(Options.WORKER_NAME, "ticker")
            .getMap());
    }

    /**
     * The handler for the WebSocket path: {@link AdmissionHandler} (origin, token, connection caps, draining), then
     * the version 13 handshake offering both subprotocols (and permessage-deflate with {@code --compression}), then
     * {@code endpoint}; plain requests get 426. Undertow's handshake answers with the first name in the client's
     * {@code Sec-WebSocket-Protocol} that is in our set, so the client's order of preference decides
     * (docs/PROTOCOL.md, Subprotocols). The route is {@link WebSocketUpgradeHandler}, which keeps nothing of the
     * handshake request once a connection is upgraded.
     */
    public static HttpHandler webSocketRoute(
        final ServerConfig config,
        final ConnectionLimiter limiter,
        final BooleanSupplier draining,
        final WebSocketConnectionCallback endpoint) throws IOException {
        return webSocketRoute(config, limiter, authFailureLimiter(config.admission()), draining, () -> false,
            endpoint);
    }

    /** The caps on connections in all and per address, and the connect rate per address. */
    public static ConnectionLimiter connectionLimiter(final AdmissionSettings admission) {
        return new ConnectionLimiter(admission.maxConnections(), admission.maxConnectionsPerAddress(),
            admission.connectRatePerAddress());
    }

    /** Failed token checks held to {@link AdmissionSettings#authFailureRatePerAddress()}, logged to standard error. */
    public static AuthFailureLimiter authFailureLimiter(final AdmissionSettings admission) {
        return new AuthFailureLimiter(admission.authFailureRatePerAddress(), admission.authFailureBurst(),
            ThrottledLog.toStandardError());
    }

    /**
     * The same route, refusing upgrades with 503 also while {@code overQueuedBudget} says memory is short, and
     * counting failed token checks into {@code authFailures}.
     */
    public static HttpHandler webSocketRoute(
        final ServerConfig config,
        final ConnectionLimiter limiter,
        final AuthFailureLimiter authFailures,
        final BooleanSupplier draining,
        final BooleanSupplier overQueuedBudget,
        final WebSocketConnectionCallback endpoint) throws IOException {
        final AdmissionSettings admission = config.admission();
        return new AdmissionHandler(OriginPolicy.of(admission.allowedOrigins(), admission.publicHosts()),
            tokens(admission), authFailures, limiter, draining, overQueuedBudget,
            new WebSocketUpgradeHandler(List.of(handshake(config.listen(), config.connection())), endpoint,
                new UpgradeRequiredHandler()));
    }

    private static Hybi13Handshake handshake(final ListenSettings listen, final ConnectionSettings connection) {
        if (!listen.compression()) {
            // Extensions off: an offer of permessage-deflate gets a plain connection, no header.
            return new Hybi13Handshake(Set.of(Subprotocols.JSON, Subprotocols.BINARY), false);
        }
        final Hybi13Handshake handshake = new Hybi13Handshake(Set.of(Subprotocols.JSON, Subprotocols.BINARY), true);
        // Never cut a message our own limit allows: that limit, counted after inflating, answers with 1009.
        handshake.addExtension(new DeflateExtension(listen.compressionLevel(),
            Math.max(PerMessageDeflateHandshake.DEFAULT_MAX_BUFFER_SIZE, connection.maxMessageSizeBytes())));
        return handshake;
    }

    private static TokenAuthenticator tokens(final AdmissionSettings admission) throws IOException {
        return admission.authTokensFile() == null ? null : TokenAuthenticator.fromFile(admission.authTokensFile());
    }

    /** Starts the listener on {@link ListenSettings#host()} and {@link ListenSettings#port()} with {@code routes}. */
    public static Undertow listen(final XnioWorker worker, final ServerConfig settings, final HttpHandler routes) {
        final ListenSettings config = settings.listen();
        try {
            return startUndertow(worker, config, config.host(), routes);
        } catch (final RuntimeException e) {
            // "::" fails where IPv6 is disabled; all IPv4 interfaces is then the closest to what was asked.
            if (!ListenSettings.HOST_DEFAULT.equals(config.host())) {
                throw e;
            }
            return startUndertow(worker, config, "0.0.0.0", routes);
        }
    }

    private static Undertow startUndertow(
        final XnioWorker worker,
        final ListenSettings config,
        final String host,
        final HttpHandler routes) {
        final Undertow.Builder builder = Undertow.builder().setWorker(worker);
        if (config.sendBufferBytes() > 0) {
            builder.setSocketOption(Options.SEND_BUFFER, config.sendBufferBytes());
        }
        if (config.tls() == null) {
            builder.addHttpListener(config.port(), host);
        } else {
            builder.addHttpsListener(config.port(), host, config.tls().context())
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(ServerTls.PROTOCOLS))
                .setSocketOption(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(config.tls().cipherSuites()));
        }
        final Undertow server = builder
            // A connection that sends nothing, or trickles its headers, is closed after the handshake timeout.
            .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, config.handshakeTimeoutMs())
            .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, config.handshakeTimeoutMs())
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, config.maxHeaderBytes())
            .setServerOption(UndertowOptions.MAX_HEADERS, 64)
            .setHandler(routes)
            .build();
        server.start();
        return server;
    }
}
