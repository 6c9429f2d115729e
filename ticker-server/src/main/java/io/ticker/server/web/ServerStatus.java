package io.ticker.server.web;

import io.ticker.protocol.ErrorCode;
import io.ticker.server.ingest.FeedStatus;

/** What the health and metrics routes read from the running server; every method is safe from any thread. */
public interface ServerStatus {
    /** Whether the server is stopping: /health and /health/ready answer 503 from then on. */
    boolean draining();

    /** Seconds since the server started. */
    long uptimeSeconds();

    /** Symbols in the universe. */
    int symbols();

    /** The configured feed rate, updates per second across all symbols. */
    double ratePerSecond();

    /** The seq of the newest update fanned out, -1 before the first. */
    long lastSeq();

    /**
     * The epoch of the feed session being fanned out: seqs are comparable only within one. 0 before a network feed
     * has been heard.
     */
    default long epoch() {
        return 0;
    }

    /** Why the server should not be given new clients (draining, or no live feed), or null when it is ready. */
    default String notReadyReason() {
        return draining() ? "draining" : null;
    }

    /** Why the process does not work (an IO thread stuck), or null while it does. */
    default String wedgedReason() {
        return null;
    }

    /** Feed sessions fanned out: the first (of a network feed), then one per restart of the feed. */
    default long feedSessions() {
        return 0;
    }

    long connections();

    long connectionsOpened();

    long subscriptions();

    long firehoseSubscribers();

    long stalledClosed();

    /** Bytes held for clients that have not taken their last frame, all connections together. */
    default long queuedBytes() {
        return 0;
    }

    /** Subscribers closed for holding more queued output than allowed. */
    default long queueLimitClosed() {
        return 0;
    }

    long connectionsRefused();

    /** Upgrades refused for a missing or invalid token. */
    default long authFailures() {
        return 0;
    }

    long quotesPublished();

    long batchesPublished();

    long quotesDelivered();

    long quotesConflated();

    /** Quotes replayed from the history to clients that resumed with since (part of the delivered). */
    long quotesReplayed();

    long framesSent();

    long bytesSent();

    long errors(ErrorCode code);

    long ringSize();

    long ringRemainingCapacity();

    long ringWaitsForShards();

    /**
     * Feed-to-ring hop: from the feed's {@code ts} to when the ring's handler takes the update, wall clock, one
     * sample per update.
     */
    default LatencySummary.Snapshot feedToRingLatency() {
        return LatencySummary.Snapshot.EMPTY;
    }

    /**
     * Ring-to-socket hop: from when the oldest update in a frame entered the ring to when the frame's write to the
     * socket completed, one sample per frame that carries quotes.
     */
    default LatencySummary.Snapshot ringToSocketLatency() {
        return LatencySummary.Snapshot.EMPTY;
    }

    /** The feed source's counters; {@link FeedStatus#NONE} without a network feed. */
    default FeedStatus feedStatus() {
        return FeedStatus.NONE;
    }
}
