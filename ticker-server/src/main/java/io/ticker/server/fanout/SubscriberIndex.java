package io.ticker.server.fanout;

import java.util.Arrays;

/**
 * Who on one shard gets which symbol's quotes: a list per symbol id of the subscribers following it by name, and the
 * firehose list. A subscriber on the firehose is in no symbol's list, so each quote reaches it once. Lists grow by
 * doubling and never shrink, so a drain walks arrays and allocates nothing. Owning IO thread only.
 */
final class SubscriberIndex {
    private static final int INITIAL_PER_SYMBOL = 4;
    private static final int INITIAL_FIREHOSE = 8;

    private final Subscriber[][] bySymbol;
    private final int[] countBySymbol;
    private Subscriber[] firehose = new Subscriber[INITIAL_FIREHOSE];
    private int firehoseCount;

    SubscriberIndex(final int symbolCount) {
        this.bySymbol = new Subscriber[symbolCount][];
        this.countBySymbol = new int[symbolCount];
    }

    /** The subscribers of {@code symbolId} by name, the first {@link #count} of them; null if it never had any. */
    Subscriber[] of(final int symbolId) {
        return bySymbol[symbolId];
    }

    int count(final int symbolId) {
        return countBySymbol[symbolId];
    }

    /** The firehose subscribers, the first {@link #firehoseCount} of them. */
    Subscriber[] firehose() {
        return firehose;
    }

    int firehoseCount() {
        return firehoseCount;
    }

    void add(final Subscriber subscriber, final int symbolId) {
        Subscriber[] subscribers = bySymbol[symbolId];
        final int count = countBySymbol[symbolId];
        if (subscribers == null) {
            subscribers = new Subscriber[INITIAL_PER_SYMBOL];
            bySymbol[symbolId] = subscribers;
        } else if (count == subscribers.length) {
            subscribers = Arrays.copyOf(subscribers, count * 2);
            bySymbol[symbolId] = subscribers;
        }
        subscribers[count] = subscriber;
        countBySymbol[symbolId] = count + 1;
    }

    /** Takes {@code subscriber} out of the list of {@code symbolId}: the last one takes its place. */
    void remove(final Subscriber subscriber, final int symbolId) {
        final Subscriber[] subscribers = bySymbol[symbolId];
        final int count = countBySymbol[symbolId];
        for (int i = 0; i < count; i++) {
            if (subscribers[i] == subscriber) {
                subscribers[i] = subscribers[count - 1];
                subscribers[count - 1] = null;
                countBySymbol[symbolId] = count - 1;
                return;
            }
        }
    }

    void addFirehose(final Subscriber subscriber) {
        if (firehoseCount == firehose.length) {
            firehose = Arrays.copyOf(firehose, firehoseCount * 2);
        }
        firehose[firehoseCount++] = subscriber;
    }

    void removeFirehose(final Subscriber subscriber) {
        for (int i = 0; i < firehoseCount; i++) {
            if (firehose[i] == subscriber) {
                firehose[i] = firehose[--firehoseCount];
                firehose[firehoseCount] = null;
                return;
            }
        }
    }
}
