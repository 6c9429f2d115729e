package io.ticker.server.ingest;

/**
 * What /metrics reads from the server's feed source; every method is safe from any thread. The embedded feed has
 * nothing to report (zeros); a network feed counts what it received, the gaps it saw and how it healed them.
 */
public interface FeedStatus {
    /** For a server without a network feed. */
    FeedStatus NONE = new FeedStatus() {
    };

    /** Messages received from the feed stream: quotes, snapshots and heartbeats. */
    default long feedMessages() {
        return 0;
    }

    /** Jumps in the stream's seq: messages lost between the feed and this server. */
    default long feedGaps() {
        return 0;
    }

    /** Seqs skipped over by those gaps. */
    default long feedMessagesMissed() {
        return 0;
    }

    /** Gaps healed: a full snapshot of every symbol received after them. */
    default long feedGapsHealed() {
        return 0;
    }

    /** Snapshot quotes that were newer than what this server had for their symbol, and so were applied. */
    default long feedSnapshotQuotesApplied() {
        return 0;
    }

    /** Messages refused: before the feed's identity was verified, or while it does not match this server's. */
    default long feedMessagesRefused() {
        return 0;
    }

    /** 1 while the feed's universe differs from this server's: its quotes are refused. */
    default long feedUniverseMismatch() {
        return 0;
    }

    /** The newest seq the feed said it has published (heartbeat) or this server received, -1 before any. */
    default long feedLastSeq() {
        return -1;
    }

    /** Sum of feed-to-server latencies of received quotes (receive time minus ts), microseconds. */
    default long feedLatencyMicrosSum() {
        return 0;
    }

    /** Quotes whose latency is in {@link #feedLatencyMicrosSum()}. */
    default long feedLatencyCount() {
        return 0;
    }

    /** The largest feed-to-server latency seen, microseconds. */
    default long feedLatencyMicrosMax() {
        return 0;
    }

    /**
     * Why the feed is not live at {@code nowNanos} ({@link System#nanoTime()}), for readiness: null while it is. A
     * feed inside the server is live as long as the server runs.
     */
    default String notLiveReason(final long nowNanos) {
        return null;
    }

    /** The epoch of the network feed's current session, 0 before its first heartbeat or without a network feed. */
    default long feedEpoch() {
        return 0;
    }

    /** Feed sessions seen: the first, then one per restart of the feed. */
    default long feedSessions() {
        return 0;
    }
}
