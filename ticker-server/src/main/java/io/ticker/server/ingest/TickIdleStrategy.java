package io.ticker.server.ingest;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * Paces the embedded feed on a fixed grid of ticks: after every call to the feed, busy or not, the thread sleeps until
 * the next grid point after now.
 *
 * <p>Why not Agrona's {@code SleepingIdleStrategy}: it sleeps only when the feed made nothing. At 20,000 updates/s a
 * quote comes due every 50 µs, so the call right after a tick's burst usually found one more quote and published it
 * as a burst of its own, which cost every firehose subscriber an extra frame and an extra {@code write} (scenario C saw
 * 1,065 frames a second per connection at a 1 ms tick). And each sleep was measured from the end of the work plus
 * the kernel's timer slack, so the tick drifted (942 ticks a second in another run). Deadlines on a grid keep the
 * average at exactly one tick per period; ticks missed while the thread was late are skipped, not caught up one
 * after another, because the next call makes every quote due since anyway.
 */
public final class TickIdleStrategy implements IdleStrategy {
    private final long tickNs;
    private final NanoClock clock;
    private final LongConsumer parker;
    private long nextTickNs;
    private boolean anchored;

    /** Ticks every {@code tickNs} on the system nano clock. */
    public TickIdleStrategy(final long tickNs) {
        this(tickNs, System::nanoTime, LockSupport::parkNanos);
    }

    /** Ticks every {@code tickNs} on {@code clock}, sleeping through {@code parker} (nanoseconds). */
    TickIdleStrategy(final long tickNs, final NanoClock clock, final LongConsumer parker) {
        if (tickNs <= 0) {
            throw new IllegalArgumentException("tick must be > 0 ns, was " + tickNs);
        }
        this.tickNs = tickNs;
        this.clock = clock;
        this.parker = parker;
    }

    /** Sleeps until the next tick whatever {@code workCount} is: the tick, not the work done, paces the feed. */
    @Override
    public void idle(final int workCount) {
        idle();
    }

    @Override
    public void idle() {
        long nowNs = clock.nanoTime();
        if (!anchored) {
            anchored = true;
            nextTickNs = nowNs;
        }
        nextTickNs = nextGridPointAfter(nowNs);
        // parkNanos may return early (spuriously or on close's interrupt); sleep out the rest unless interrupted.
        while (nextTickNs - nowNs > 0 && !Thread.currentThread().isInterrupted()) {
            parker.accept(nextTickNs - nowNs);
            nowNs = clock.nanoTime();
        }
    }

    private long nextGridPointAfter(final long nowNs) {
        final long next = nextTickNs + tickNs;
        if (next - nowNs > 0) {
            return next;
        }
        final long missed = (nowNs - next) / tickNs + 1;
        return next + missed * tickNs;
    }

    /** Starts the grid again from the next call. */
    @Override
    public void reset() {
        anchored = false;
    }

    @Override
    public String alias() {
        return "tick";
    }
}
