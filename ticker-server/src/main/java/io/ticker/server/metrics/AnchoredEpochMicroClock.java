package io.ticker.server.metrics;

import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.HighResolutionClock;

/**
 * Wall-clock microseconds since the epoch, read without allocating: {@link System#nanoTime()} plus an offset to the
 * epoch. The JDK's own wall clock ({@code Instant.now()}) allocates an {@code Instant} that escape analysis removes
 * only where it happens to inline, which a per-update path cannot rely on. {@link #anchor()} recomputes the offset
 * from the real wall clock; the server does it about once a second, so the clock follows NTP adjustments within
 * microseconds. Read from any thread; anchored from any one thread.
 */
public final class AnchoredEpochMicroClock implements EpochMicroClock {
    private volatile long offsetMicros;

    /** A clock anchored now. */
    public AnchoredEpochMicroClock() {
        anchor();
    }

    /** Re-reads the wall clock; allocates, so keep it off per-update paths. */
    public void anchor() {
        offsetMicros = HighResolutionClock.epochMicros() - System.nanoTime() / 1_000;
    }

    @Override
    public long microTime() {
        return System.nanoTime() / 1_000 + offsetMicros;
    }
}
