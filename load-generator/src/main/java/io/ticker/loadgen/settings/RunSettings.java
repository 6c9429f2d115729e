package io.ticker.loadgen.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a run was asked to do, validated by the {@code run} command; recorded verbatim in {@code summary.json}.
 *
 * @param urls servers to load; connections are spread round-robin
 * @param connections subscriber connections to open
 * @param rampUp how fast to open them
 * @param symbolsPerConnection symbols each subscriber subscribes to (ignored for the firehose)
 * @param firehose subscribe every connection to {@code *}
 * @param skew how symbols are drawn
 * @param duration the recorded window
 * @param warmup time after the ramp-up that is shown but not recorded
 * @param subprotocol the subprotocol offered: {@code ticker.v1.json} or {@code ticker.v1.binary}
 * @param compression offer permessage-deflate in every upgrade (the server grants it only with its --compression)
 * @param reconnect re-open dropped connections with jittered exponential backoff, failing over to the next URL
 * @param reconnectInitialDelay the first backoff
 * @param reconnectMaxDelay the largest backoff
 * @param resume on a reconnect, subscribe with {@code since} and {@code epoch} to get what was missed
 * @param name a name for the results folder
 * @param out where results folders go
 * @param seed seeds every random choice, so that runs repeat
 * @param observer open one extra firehose connection to count what the feed published
 * @param insecure trust any TLS certificate
 * @param eventLoops I/O threads
 * @param connectTimeout time allowed for TCP, TLS and upgrade
 * @param drainTimeout the longest wait after the window for quotes made inside it
 * @param assertP99 fail the run when the window's p99 exceeds this, or null
 * @param assertDelivered fail the run when the delivered fraction is below this, or NaN
 * @param slowClients which subscribers read slowly and how ({@link SlowClients#NONE} for none)
 * @param command the command line as typed, for the record
 */
public record RunSettings(
    List<String> urls,
    int connections,
    RampUp rampUp,
    int symbolsPerConnection,
    boolean firehose,
    SymbolSkew skew,
    Duration duration,
    Duration warmup,
    String subprotocol,
    boolean compression,
    boolean reconnect,
    Duration reconnectInitialDelay,
    Duration reconnectMaxDelay,
    boolean resume,
    String name,
    Path out,
    long seed,
    boolean observer,
    boolean insecure,
    int eventLoops,
    Duration connectTimeout,
    Duration drainTimeout,
    Duration assertP99,
    double assertDelivered,
    SlowClients slowClients,
    String command) {
}
