package io.ticker.server.ingest;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

/**
 * Paces the embedded feed: after every call to the feed, busy or not, the thread sleeps until one tick after it last
 * woke. The period is the tick plus the timer's lateness, as with the comparison peers' 1 ms timers (Node's
 * {@code setInterval}), and each tick makes one burst.
 *
 * <p>Why not Agrona's {@code SleepingIdleStrategy}: it sleeps only when the feed made nothing. At 20,000 updates/s a
 * quote comes due every 50 µs, so the call right after a tick's burst often finds one more quote and publishes it as
 * a burst of its own: an extra frame and an extra {@code write} for every firehose subscriber, up to 1,065 frames a
 * second per connection where a 1 ms tick should make 1,000.
 *
 * <p>Why not a fixed grid of ticks (exactly 1,000 a second): at 20,000 updates/s it costs about 10% more server CPU
 * per frame of the same size than this strategy (the cause is not known), and the peers' timers do not keep a grid
 * either: their frames carry 22-23 quotes at that rate, one tick of about 1.1 ms.
 */
public final class TickIdleStrategy implements IdleStrategy {
    private final long tickNs;
    private final NanoClock clock;
    private final LongConsumer parker;
    private long lastWakeNs;
    private boolean woken;

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

    /** Sleeps out the tick whatever {@code workCount} is: the tick, not the work done, paces the feed. */
    @Override
    public void idle(final int workCount) {
        idle();
    }

    @Override
    public void idle() {
        long nowNs = clock.nanoTime();
        final long deadlineNs = (woken ? lastWakeNs : nowNs) + tickNs;
        // parkNanos may return early (spuriously or on close's interrupt); sleep out the rest unless interrupted.
        while (deadlineNs - nowNs > 0 && !Thread.currentThread().isInterrupted()) {
            parker.accept(deadlineNs - nowNs);
            nowNs = clock.nanoTime();
        }
        lastWakeNs = nowNs;
        woken = true;
    }

    /** The next call sleeps a whole tick. */
    @Override
    public void reset() {
        woken = false;
    }

    @Override
    public String alias() {
        return "tick";
    }
}
