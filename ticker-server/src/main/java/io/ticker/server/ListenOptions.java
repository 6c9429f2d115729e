package io.ticker.server;

import static io.ticker.feed.OneLineErrors.invalid;
import static io.ticker.feed.OneLineErrors.require;
import static io.ticker.feed.OneLineErrors.requireReadable;
import static io.ticker.server.DurationFlags.millis;
import static io.ticker.server.DurationFlags.positive;

import io.ticker.protocol.DurationText;
import io.ticker.server.tls.ServerTls;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link ListenSettings}, a picocli mixin; its fields start at the settings' defaults. */
final class ListenOptions {
    @Option(names = "--host", paramLabel = "ADDR",
        description = "Address to listen on; '::' is every interface, IPv4 and IPv6. Default: ${DEFAULT-VALUE}")
    String host = ListenSettings.HOST_DEFAULT;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
        description = "TCP port for HTTP and WebSocket; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port = ListenSettings.PORT_DEFAULT;

    @Option(names = "--io-threads", paramLabel = "N",
        description = "Undertow IO threads, each owning a fan-out shard. Default: ${DEFAULT-VALUE} (cores, min 2)")
    int ioThreads = ListenSettings.IO_THREADS_DEFAULT;

    @Option(names = "--send-buffer", paramLabel = "BYTES",
        description = "Kernel send buffer (SO_SNDBUF) of each client socket: what a client that stops reading pins "
            + "in kernel memory (Linux doubles it), and how soon a slow client is conflated. 0 leaves it to the OS, "
            + "which on Linux grows it to net.ipv4.tcp_wmem's maximum (4 MiB) for a slow reader. "
            + "Default: ${DEFAULT-VALUE}")
    int sendBufferBytes = ListenSettings.SEND_BUFFER_BYTES_DEFAULT;

    @Option(names = "--max-header-size", paramLabel = "BYTES",
        description = "Largest HTTP request head; larger requests are refused. Default: ${DEFAULT-VALUE}")
    int maxHeaderBytes = ListenSettings.MAX_HEADER_BYTES_DEFAULT;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION",
        defaultValue = ListenSettings.HANDSHAKE_TIMEOUT_DEFAULT,
        description = "How long a TCP connection may take to send a complete request; slower ones (headers "
            + "trickled, or nothing sent) are closed. Default: ${DEFAULT-VALUE}")
    Duration handshakeTimeout = DurationText.parse(ListenSettings.HANDSHAKE_TIMEOUT_DEFAULT);

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = ListenSettings.DRAIN_TIMEOUT_DEFAULT,
        description = "On stop, how long clients get to answer close 1001. Default: ${DEFAULT-VALUE}")
    Duration drainTimeout = DurationText.parse(ListenSettings.DRAIN_TIMEOUT_DEFAULT);

    @Option(names = "--compression",
        description = "Offer permessage-deflate to clients that ask for it (context takeover, 15-bit window). Costs "
            + "CPU per frame and about 300 KB of native memory per compressed connection. Default: off")
    boolean compression;

    @Option(names = "--compression-level", paramLabel = "1-9",
        description = "Deflate level with --compression: 1 fastest, 9 smallest. Default: ${DEFAULT-VALUE}")
    int compressionLevel = ListenSettings.COMPRESSION_LEVEL_DEFAULT;

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

    /** The identity the --tls-* flags name (set by {@link #validate}), or one given directly; null for none. */
    ServerTls tls;

    ListenSettings settings() {
        return new ListenSettings(host, port, tls, ioThreads, sendBufferBytes, maxHeaderBytes,
            millis(handshakeTimeout), compression, compressionLevel, millis(drainTimeout));
    }

    /** Checks the flags' values, naming the first bad flag, and loads the TLS identity they name. */
    void validate(final CommandLine cli) {
        require(cli, port >= 0 && port <= 65_535, "--port", "must be 0-65535, was " + port);
        require(cli, ioThreads >= 1 && ioThreads <= 64, "--io-threads", "must be 1-64, was " + ioThreads);
        require(cli, sendBufferBytes == 0 || sendBufferBytes >= 4096, "--send-buffer",
            "must be 0 (the OS decides) or at least 4096 bytes, was " + sendBufferBytes);
        require(cli, maxHeaderBytes >= 1024, "--max-header-size", "must be at least 1024 bytes");
        require(cli, positive(handshakeTimeout), "--handshake-timeout", "must be positive");
        require(cli, compressionLevel >= 1 && compressionLevel <= 9, "--compression-level",
            "must be 1-9, was " + compressionLevel);
        tls = tls(cli);
    }

    private ServerTls tls(final CommandLine cli) {
        final int sources = (tlsCert != null || tlsKey != null ? 1 : 0) + (tlsKeystore != null ? 1 : 0)
            + (tlsSelfSigned ? 1 : 0);
        require(cli, sources <= 1, "--tls-self-signed",
            "choose one of --tls-cert/--tls-key, --tls-keystore or --tls-self-signed");
        try {
            if (tlsCert != null || tlsKey != null) {
                require(cli, tlsCert != null && tlsKey != null, tlsCert == null ? "--tls-cert" : "--tls-key",
                    "--tls-cert and --tls-key go together");
                requireReadable(cli, tlsCert, "--tls-cert", "a readable PEM certificate chain");
                requireReadable(cli, tlsKey, "--tls-key", "a readable unencrypted PKCS#8 PEM key");
                return ServerTls.fromPem(tlsCert, tlsKey);
            }
            if (tlsKeystore != null) {
                requireReadable(cli, tlsKeystore, "--tls-keystore", "a readable PKCS#12 keystore");
                return ServerTls.fromPkcs12(tlsKeystore, tlsKeystorePassword);
            }
            return tlsSelfSigned ? ServerTls.selfSigned() : null;
        } catch (final IOException | GeneralSecurityException e) {
            throw invalid(cli, tlsKeystore != null ? "--tls-keystore" : tlsSelfSigned ? "--tls-self-signed"
                : "--tls-cert", e.getMessage());
        }
    }
}
