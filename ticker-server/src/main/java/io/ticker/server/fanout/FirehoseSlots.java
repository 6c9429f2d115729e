package io.ticker.server.fanout;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide cap on firehose subscribers: one count shared by every shard, taken on {@code subscribe *} and
 * given back when the firehose ends. Commands only: nothing here runs per update.
 */
public final class FirehoseSlots {
    private final AtomicInteger taken = new AtomicInteger();
    private final int max;

    /** Room for {@code max} firehose subscribers across the shards that share this instance. */
    public FirehoseSlots(final int max) {
        this.max = max;
    }

    /** No cap: for a shard on its own (tests, benchmarks). */
    public static FirehoseSlots unlimited() {
        return new FirehoseSlots(Integer.MAX_VALUE);
    }

    /** Takes a slot; false when none is free. */
    boolean tryTake() {
        if (taken.incrementAndGet() > max) {
            taken.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back a slot taken by {@link #tryTake}. */
    void giveBack() {
        taken.decrementAndGet();
    }
}
