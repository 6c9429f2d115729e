package io.ticker.server.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Latencies of one hop as seen by one thread, in microseconds: one writer (the thread that owns the hop's work, such
 * as the ring thread or one IO thread) and any number of readers that take what was recorded since they last looked
 * ({@link #intervalHistogram}). Recording is wait-free and allocates nothing: the histograms are sized once for
 * {@link #HIGHEST_TRACKABLE_MICROS}, and values outside the range are clamped into it rather than resizing.
 */
public final class LatencyRecorder {
    /** One minute: a hop slower than that is recorded as one minute. */
    public static final long HIGHEST_TRACKABLE_MICROS = 60_000_000L;
    /** Precision of every value: three significant digits, as the load generator's. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final SingleWriterRecorder recorder =
        new SingleWriterRecorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);

    /**
     * Records one latency; owning thread only. A negative one (a feed whose clock runs ahead of ours) counts as 0, a
     * huge one as {@link #HIGHEST_TRACKABLE_MICROS}.
     */
    public void recordMicros(final long micros) {
        recorder.recordValue(Math.max(0, Math.min(micros, HIGHEST_TRACKABLE_MICROS)));
    }

    /**
     * What was recorded since the previous call, in {@code recycle} if given (a histogram an earlier call returned,
     * now no longer in use) to save allocating one. Any thread, one at a time.
     */
    public Histogram intervalHistogram(final Histogram recycle) {
        return recorder.getIntervalHistogram(recycle);
    }

    /** An empty histogram of this recorder's range and precision. */
    public static Histogram newHistogram() {
        return new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    }
}
