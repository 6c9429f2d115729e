package io.ticker.server.admission;

import java.nio.file.Path;
import java.util.List;

/**
 * What an upgrade must pass before it becomes a WebSocket: origin and host, token, connection caps and rates.
 *
 * @param allowedOrigins origins allowed besides the server's own host; {@code *} allows all; empty: same host only
 * @param publicHosts the names ({@code name} or {@code name:port}) clients reach this server by: upgrades must name
 *     one in Host, and a browser's Origin is the same host only when it is one; empty trusts the Host header
 * @param authTokensFile a file of bearer tokens, one per line; null admits without a token
 * @param maxConnections open connections in all; past it upgrades get 503
 * @param maxConnectionsPerAddress open connections from one client address; 0 is no cap
 * @param connectRatePerAddress new connections per second from one address; 0 is no limit
 * @param authFailureRatePerAddress failed token checks per second one address may make after its burst; 0 is no
 *     limit
 * @param authFailureBurst failed token checks one address may make at once
 */
public record AdmissionSettings(
    List<String> allowedOrigins,
    List<String> publicHosts,
    Path authTokensFile,
    int maxConnections,
    int maxConnectionsPerAddress,
    double connectRatePerAddress,
    double authFailureRatePerAddress,
    double authFailureBurst) {

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

    public AdmissionSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        publicHosts = List.copyOf(publicHosts);
    }
}
