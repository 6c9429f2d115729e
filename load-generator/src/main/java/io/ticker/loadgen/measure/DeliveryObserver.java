package io.ticker.loadgen.measure;

import java.util.Arrays;

/**
 * Counts, per symbol, the updates the feed made inside the recorded window, as seen by one firehose connection of the
 * generator's own (the observer). A quote that says {@code conflated:N} stands for N + 1 updates (at the window's
 * edges, for the share of them made inside it), so the count stays right even if the server conflates the observer.
 * Expected deliveries for a subscriber are then the sum of these counts over its symbols. Written only by the
 * observer's event loop; read after the loops have stopped.
 */
public final class DeliveryObserver {
    private long[] updates;
    private long received;
    private long conflatedTotal;
    private volatile long subscribedAtMicros = Long.MAX_VALUE;
    private volatile boolean lost;
    private volatile boolean caughtUp;

    /** An observer for about {@code symbols} symbols (it grows for more). */
    public DeliveryObserver(final int symbols) {
        updates = new long[Math.max(16, symbols)];
    }

    /**
     * Counts what one quote of {@code symbolId} says about the window: {@code quotes} (1 if the quote itself was made
     * in it, else 0) and {@code conflated}, the updates it replaced that were made in it
     * ({@link RecordingWindow#conflatedInside}).
     */
    public void count(final int symbolId, final int quotes, final long conflated) {
        if (quotes == 0 && conflated == 0) {
            return;
        }
        if (symbolId >= updates.length) {
            updates = Arrays.copyOf(updates, Math.max(symbolId + 1, updates.length * 2));
        }
        updates[symbolId] += quotes + conflated;
        received += quotes;
        conflatedTotal += conflated;
    }

    /** Quotes the observer itself received in the window. */
    public long received() {
        return received;
    }

    /** Sum of {@code conflated} over those quotes: updates the server reports it replaced for the observer. */
    public long conflated() {
        return conflatedTotal;
    }

    /** Marks that the server acknowledged the observer's firehose subscription at {@code epochMicros}. */
    public void markSubscribed(final long epochMicros) {
        if (subscribedAtMicros == Long.MAX_VALUE) {
            subscribedAtMicros = epochMicros;
        }
    }

    /** Marks that the observer's connection dropped: its counts then miss updates. */
    public void markLost() {
        lost = true;
    }

    /** Marks that the observer received a quote made after the window: it has every update of the window. */
    public void markCaughtUp() {
        caughtUp = true;
    }

    /** Whether the observer has received everything the window holds. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Whether the server acknowledged the subscription. */
    public boolean isSubscribed() {
        return subscribedAtMicros != Long.MAX_VALUE;
    }

    /**
     * Whether the counts cover a window opened at {@code windowStartMicros}: subscribed before it opened and never
     * disconnected.
     */
    public boolean covers(final long windowStartMicros) {
        return subscribedAtMicros <= windowStartMicros && !lost;
    }

    /** Updates of {@code symbolId} in the window. */
    public long updates(final int symbolId) {
        return symbolId < updates.length ? updates[symbolId] : 0;
    }

    /** One more than the highest symbol id counted so far: every id with updates is below it. */
    public int symbolIdLimit() {
        return updates.length;
    }

    /** Updates of every symbol in the window. */
    public long totalUpdates() {
        long total = 0;
        for (final long count : updates) {
            total += count;
        }
        return total;
    }
}
