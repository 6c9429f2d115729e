package io.ticker.loadgen.measure;

import java.util.Arrays;

/**
 * Per symbol, the window's updates one subscriber can account for: quotes received as themselves plus the updates
 * their {@code conflated} counts stand for. Compared symbol by symbol with the observer's count of what the feed
 * made, a shortfall is an update lost (see {@code delivery.lost} in the summary), so a surplus on one symbol cannot
 * hide a loss on another. A subscriber to a few symbols keeps one slot per symbol, found by binary search in its
 * sorted ids; a firehose subscriber one slot per symbol id, grown as symbols appear. Written by the subscriber's
 * event loop, read after the loops have stopped.
 */
public final class SymbolCounts {
    private final int[] sortedIds;
    private long[] counts;

    /** Counts for {@code symbolIds} (null: every symbol, the firehose; about {@code universe} of them). */
    public SymbolCounts(final int[] symbolIds, final int universe) {
        if (symbolIds == null) {
            sortedIds = null;
            counts = new long[Math.max(16, universe)];
        } else {
            sortedIds = symbolIds.clone();
            Arrays.sort(sortedIds);
            counts = new long[sortedIds.length];
        }
    }

    /** Adds {@code updates} to {@code symbolId}'s count; a symbol outside the subscription is ignored. */
    public void add(final int symbolId, final long updates) {
        if (updates == 0 || symbolId < 0) {
            return;
        }
        if (sortedIds != null) {
            final int slot = Arrays.binarySearch(sortedIds, symbolId);
            if (slot >= 0) {
                counts[slot] += updates;
            }
            return;
        }
        if (symbolId >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(symbolId + 1, counts.length * 2));
        }
        counts[symbolId] += updates;
    }

    /** The count of {@code symbolId}. */
    public long get(final int symbolId) {
        if (sortedIds != null) {
            final int slot = Arrays.binarySearch(sortedIds, symbolId);
            return slot >= 0 ? counts[slot] : 0;
        }
        return symbolId >= 0 && symbolId < counts.length ? counts[symbolId] : 0;
    }
}
