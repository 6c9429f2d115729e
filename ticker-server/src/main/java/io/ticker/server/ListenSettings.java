package io.ticker.server;

import io.ticker.server.tls.ServerTls;

/**
 * How the server listens and stops: address, TLS, IO threads, what a socket and a request may take, compression, the
 * drain. Built by {@link ListenOptions} from {@code --host}, {@code --port}, {@code --tls-*} and the rest; each default
 * is the constant below, which the flag's default and {@code --help} show.
 *
 * @param host the address to listen on
 * @param port the TCP port; 0 picks a free one (tests), read back with {@link TickerServer#port()}
 * @param tls the identity to serve HTTPS and wss:// with; null serves plain HTTP and ws://
 * @param ioThreads Undertow IO threads, each owning a fan-out shard
 * @param sendBufferBytes SO_SNDBUF of each accepted socket; 0 leaves it to the OS's autotuning
 * @param maxHeaderBytes the largest request head accepted
 * @param handshakeTimeoutMs how long a TCP connection may take to send a complete request
 * @param compression whether permessage-deflate is offered to clients that ask for it
 * @param compressionLevel the deflate level of compressed connections, 1 (fastest) to 9 (smallest)
 * @param drainTimeoutMs on stop, how long clients get to answer close 1001
 */
public record ListenSettings(
    String host,
    int port,
    ServerTls tls,
    int ioThreads,
    int sendBufferBytes,
    int maxHeaderBytes,
    int handshakeTimeoutMs,
    boolean compression,
    int compressionLevel,
    int drainTimeoutMs) {

    /** Listen on every interface, IPv4 and IPv6. */
    public static final String HOST_DEFAULT = "::";
    public static final int PORT_DEFAULT = 8080;
    /** One IO thread per core, at least two: each owns a fan-out shard and writes only its own sockets. */
    public static final int IO_THREADS_DEFAULT = Math.max(2, Runtime.getRuntime().availableProcessors());
    /**
     * SO_SNDBUF of each client socket (Linux doubles it for its own bookkeeping): a client that stops reading pins
     * about 128 KiB of kernel memory, not the 4 MiB autotuning grows to, and a slow one conflates within
     * milliseconds. A full 64 KiB frame fits; on loopback 50 firehose subscribers keep up (FanoutIT).
     */
    public static final int SEND_BUFFER_BYTES_DEFAULT = 64 * 1024;
    /** Largest request head accepted; beyond it the request is refused. */
    public static final int MAX_HEADER_BYTES_DEFAULT = 8 * 1024;
    /** How long a TCP connection may take to send a complete request (headers trickled, or nothing at all). */
    public static final String HANDSHAKE_TIMEOUT_DEFAULT = "10s";
    /** Deflate level with {@code --compression}: the fastest, which already gets most of the gain on quote JSON. */
    public static final int COMPRESSION_LEVEL_DEFAULT = 1;
    /** How long clients get to answer close 1001 when the server stops. */
    public static final String DRAIN_TIMEOUT_DEFAULT = "2s";
}
