package io.ticker.loadgen.measure;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the Unix epoch, read as {@code System.nanoTime()} plus an offset, so that a
 * read costs one {@code nanoTime} and allocates nothing. {@code currentTimeMillis() * 1000} would quantise latency to
 * a millisecond; the offset is learnt from {@link Instant#now()} (microsecond resolution on Linux) and re-anchored by
 * {@link #recalibrate()} about once a second so that the clock follows NTP slewing and steps of the wall clock.
 */
public final class EpochClock {
    private static final int CALIBRATION_SAMPLES = 5;

    private volatile long offsetMicros;

    /** A clock calibrated now. */
    public EpochClock() {
        recalibrate();
    }

    /** The current wall-clock time in microseconds since the epoch. Allocation-free, any thread. */
    public long nowMicros() {
        return System.nanoTime() / 1_000 + offsetMicros;
    }

    /**
     * Learns the offset again. Of a few paired readings, keeps the one whose two {@code nanoTime} reads were closest,
     * since that pair was least disturbed by a context switch.
     */
    public void recalibrate() {
        long bestOffset = 0;
        long bestSpread = Long.MAX_VALUE;
        for (int i = 0; i < CALIBRATION_SAMPLES; i++) {
            final long before = System.nanoTime();
            final Instant now = Instant.now();
            final long after = System.nanoTime();
            final long spread = after - before;
            if (spread < bestSpread) {
                bestSpread = spread;
                final long wallMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                bestOffset = wallMicros - (before + spread / 2) / 1_000;
            }
        }
        offsetMicros = bestOffset;
    }
}
