package io.ticker.feed;

import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.NanoClock;

/** Both clocks a feed reads, moved only by the test. */
final class ManualClock implements NanoClock, EpochMicroClock {
    private long nanoTime;

    ManualClock(final long startNanoTime) {
        nanoTime = startNanoTime;
    }

    void advanceNanos(final long nanos) {
        nanoTime += nanos;
    }

    @Override
    public long nanoTime() {
        return nanoTime;
    }

    @Override
    public long microTime() {
        // An arbitrary epoch, late 2025, moving with the nano clock.
        return 1_763_800_000_000_000L + nanoTime / 1_000;
    }
}
