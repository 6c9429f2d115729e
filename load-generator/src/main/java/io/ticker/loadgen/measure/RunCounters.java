package io.ticker.loadgen.measure;

import io.ticker.protocol.Recovery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every count of a run. Event loops add per frame (not per quote) into striped {@link LongAdder}s, so loops do not
 * contend on one cache line; the progress reporter and the summary read the sums.
 */
public final class RunCounters {
    /** Live quotes received, any time. */
    public final LongAdder quotes = new LongAdder();
    /** Live quotes whose {@code ts} lies in the recorded window. */
    public final LongAdder windowQuotes = new LongAdder();
    /** Snapshot quotes (counted, kept out of latency). */
    public final LongAdder snapshots = new LongAdder();
    /** Text frames received, any time. */
    public final LongAdder frames = new LongAdder();
    /** Frames that carried quotes of the window. */
    public final LongAdder windowFrames = new LongAdder();
    /** WebSocket payload bytes received, any time. */
    public final LongAdder bytes = new LongAdder();
    /** Payload bytes of those frames. */
    public final LongAdder windowBytes = new LongAdder();
    /** Sum of {@code conflated} over quotes in the window. */
    public final LongAdder windowConflated = new LongAdder();
    /** Sum of {@code conflated} over all quotes. */
    public final LongAdder conflated = new LongAdder();
    /**
     * Quotes whose {@code seq} did not exceed the last one for their (connection, symbol): duplicates or older
     * updates, not counted as delivered.
     */
    public final LongAdder seqViolations = new LongAdder();
    /** Symbols whose seq order started over after a reconnect to a restarted feed. */
    public final LongAdder seqRebases = new LongAdder();
    /** Quotes received later than the clock says they were made (clock skew); recorded as 0 latency. */
    public final LongAdder negativeLatencies = new LongAdder();
    /** Connection attempts made. */
    public final LongAdder connectAttempts = new LongAdder();
    /** Attempts that did not reach an open WebSocket. */
    public final LongAdder connectFailures = new LongAdder();
    /** Open WebSockets that closed while the run still wanted them. */
    public final LongAdder disconnects = new LongAdder();
    /** Connections re-established after a disconnect or a failed attempt. */
    public final LongAdder reconnects = new LongAdder();
    /** Upgrades the server answered with permessage-deflate (only asked for with {@code --compression}). */
    public final LongAdder compressed = new LongAdder();
    /**
     * Upgrades whose 101 named no subprotocol: the contract's default, {@code ticker.v1.json}, which the connection is
     * then read as, whatever was offered.
     */
    public final LongAdder withoutSubprotocol = new LongAdder();
    /** {@code reset} events received by subscribers (one feed restart reaches every subscriber once). */
    public final LongAdder resetEvents = new LongAdder();
    /** Connections whose {@code subscribe} was acknowledged. */
    public final LongAdder subscribed = new LongAdder();
    /** Subscribers that have received a quote made after the window, so hold all of theirs. */
    public final LongAdder caughtUp = new LongAdder();
    /** Subscribes sent with {@code since} and {@code epoch} after a reconnect (resume asked). */
    public final LongAdder resumesAsked = new LongAdder();
    /** Resumes answered {@code "recovered":true}. */
    public final LongAdder resumesRecovered = new LongAdder();
    /** Quotes received marked replayed ({@code "replayed":true}, binary flag 0x02), any time. */
    public final LongAdder replayed = new LongAdder();
    /** WebSockets open now. */
    public final AtomicInteger connectionsUp = new AtomicInteger();
    /** The most WebSockets open at once. */
    public final AtomicInteger peakConnectionsUp = new AtomicInteger();

    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> resumesNotRecovered = new ConcurrentHashMap<>();
    private final Set<Long> resetEpochs = new ConcurrentSkipListSet<>();
    private final Set<Long> epochsSeen = new ConcurrentSkipListSet<>();

    /** Counts one error of {@code kind} (e.g. {@code connect-refused}, {@code server:UNKNOWN_SYMBOL}). Cold path. */
    public void error(final String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /**
     * The answer to a resume: recovered, or not with the server's {@code reason} ({@code unanswered} when the answer
     * had no {@code recovered} member: a server that does not know {@code since}). Cold path: once per ack.
     */
    public void resumeAnswered(final Recovery recovery, final String reason) {
        if (recovery == Recovery.RECOVERED) {
            resumesRecovered.increment();
        } else {
            final String kind = recovery == Recovery.NOT_ASKED ? "unanswered" : reason == null ? "no-reason" : reason;
            resumesNotRecovered.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }
    }

    /** Resumes not recovered, by the server's reason, sorted by reason. */
    public Map<String, Long> resumesNotRecovered() {
        final Map<String, Long> out = new TreeMap<>();
        resumesNotRecovered.forEach((kind, count) -> out.put(kind, count.sum()));
        return out;
    }

    /** Errors by kind, sorted by kind. */
    public Map<String, Long> errors() {
        final Map<String, Long> out = new TreeMap<>();
        errors.forEach((kind, count) -> out.put(kind, count.sum()));
        return out;
    }

    /** All errors. */
    public long errorTotal() {
        long total = 0;
        for (final LongAdder count : errors.values()) {
            total += count.sum();
        }
        return total;
    }

    /** A feed epoch named by a {@code subscribed} answer or a {@code reset}. Cold path: once per ack or reset. */
    public void epochSeen(final long epoch, final boolean byReset) {
        if (epoch <= 0) {
            return;
        }
        epochsSeen.add(epoch);
        if (byReset) {
            resetEpochs.add(epoch);
        }
    }

    /** Feed resets seen: the distinct epochs that {@code reset} events announced. */
    public int feedResets() {
        return resetEpochs.size();
    }

    /** Every feed epoch seen, in order. */
    public List<Long> epochs() {
        return List.copyOf(epochsSeen);
    }

    /** Marks one more WebSocket open. */
    public void up() {
        final int now = connectionsUp.incrementAndGet();
        peakConnectionsUp.accumulateAndGet(now, Math::max);
    }
}
