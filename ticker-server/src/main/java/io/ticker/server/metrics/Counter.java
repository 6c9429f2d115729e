package io.ticker.server.metrics;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count with one writer thread and any number of readers (the /metrics scrape). The writer uses a release store,
 * not a locked add, because on the per-update path a contended atomic instruction would cost more than the work it
 * counts.
 */
public final class Counter {
    private final AtomicLong value = new AtomicLong();

    /** Adds {@code amount}; only ever called from the owning thread. */
    public void add(final long amount) {
        value.lazySet(value.get() + amount);
    }

    /** Adds one; only ever called from the owning thread. */
    public void increment() {
        value.lazySet(value.get() + 1);
    }

    /** The count as last published by the writer; safe from any thread. */
    public long get() {
        return value.get();
    }
}
