package io.ticker.server;

import static io.ticker.feed.OneLineErrors.require;
import static io.ticker.feed.OneLineErrors.requireReadable;

import io.ticker.server.admission.AdmissionSettings;
import io.ticker.server.admission.OriginPolicy;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link AdmissionSettings}, a picocli mixin; its fields start at the settings' defaults. */
final class AdmissionOptions {
    @Option(names = "--allowed-origins", paramLabel = "ORIGIN", split = ",",
        description = "Browser origins allowed to open a WebSocket besides the server's own host, e.g. "
            + "https://example.com; '*' allows any. Other origins get 403. Default: same host only")
    List<String> allowedOrigins = List.of();

    @Option(names = "--public-host", paramLabel = "NAME[:PORT]", split = ",",
        description = "Names clients reach this server by (e.g. ticker.example.com, or with a port); then an upgrade "
            + "whose Host is none of them gets 403, and a browser page counts as same host only if its Origin is one "
            + "of them, so a page whose name points at this server by DNS rebinding is refused. Default: none, the "
            + "Host header is trusted")
    List<String> publicHosts = List.of();

    @Option(names = "--auth-tokens", paramLabel = "FILE",
        description = "File of bearer tokens, one per line; clients then need ?token= or Authorization: Bearer, "
            + "or get 401. Default: no tokens needed")
    Path authTokensFile;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "Open WebSocket connections in all; more get 503. Default: ${DEFAULT-VALUE}")
    int maxConnections = AdmissionSettings.MAX_CONNECTIONS_DEFAULT;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
        description = "Open connections from one client address; more get 503. 0 = no cap. Default: ${DEFAULT-VALUE}")
    int maxConnectionsPerAddress = AdmissionSettings.MAX_CONNECTIONS_PER_ADDRESS_DEFAULT;

    @Option(names = "--connect-rate-per-ip", paramLabel = "PER_SECOND",
        description = "New connections per second from one address (burst of as many); faster get 429. 0 = no "
            + "limit. Default: ${DEFAULT-VALUE}")
    double connectRatePerAddress = AdmissionSettings.CONNECT_RATE_PER_ADDRESS_DEFAULT;

    @Option(names = "--auth-failure-rate-per-ip", paramLabel = "PER_SECOND",
        description = "With --auth-tokens: failed token checks per second one address may make once its burst is "
            + "spent; then it gets 429 before its token is checked. 0 = no limit. Default: ${DEFAULT-VALUE}")
    double authFailureRatePerAddress = AdmissionSettings.AUTH_FAILURE_RATE_PER_ADDRESS_DEFAULT;

    @Option(names = "--auth-failure-burst", paramLabel = "N",
        description = "Failed token checks one address may make at once before --auth-failure-rate-per-ip applies. "
            + "Default: ${DEFAULT-VALUE}")
    double authFailureBurst = AdmissionSettings.AUTH_FAILURE_BURST_DEFAULT;

    AdmissionSettings settings() {
        return new AdmissionSettings(allowedOrigins, publicHosts, authTokensFile, maxConnections,
            maxConnectionsPerAddress, connectRatePerAddress, authFailureRatePerAddress, authFailureBurst);
    }

    /** Checks the flags' values, naming the first bad flag. */
    void validate(final CommandLine cli) {
        require(cli, maxConnections >= 1, "--max-connections", "must be at least 1, was " + maxConnections);
        require(cli, maxConnectionsPerAddress >= 0, "--max-connections-per-ip", "must be 0 or more");
        require(cli, connectRatePerAddress >= 0, "--connect-rate-per-ip", "must be 0 or more");
        require(cli, authFailureRatePerAddress >= 0, "--auth-failure-rate-per-ip", "must be 0 or more");
        require(cli, authFailureBurst >= 1, "--auth-failure-burst", "must be at least 1");
        for (final String publicHost : publicHosts) {
            final String problem = OriginPolicy.validPublicHost(publicHost);
            require(cli, problem == null, "--public-host", problem);
        }
        requireReadable(cli, authTokensFile, "--auth-tokens", "a readable file of bearer tokens, one per line");
    }
}
