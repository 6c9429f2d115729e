package io.ticker.server.web;

import io.ticker.server.metrics.LatencyRecorder;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One hop's latency as /metrics shows it, gathered from the {@link LatencyRecorder}s of every thread that records it:
 * percentiles and max over a sliding window of the last {@link #WINDOW_SLICES} × {@link #SLICE_NANOS} (so they
 * describe the server now, not since start), and count and sum since start (so rates can be taken of them, as of
 * any Prometheus summary).
 *
 * <p>The recorders are drained by {@link #collect}, which the server runs about once a second and each scrape runs
 * before it reads; the writers never wait for either. Cold path: every method is synchronized.
 */
public final class LatencySummary {
    /** Length of one slice of the window. */
    public static final long SLICE_NANOS = 10_000_000_000L;
    /** Slices in the window: the percentiles cover the last 50 to 60 seconds. */
    public static final int WINDOW_SLICES = 6;

    /** The quantiles shown, as Prometheus labels them. */
    static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    /**
     * Upper bounds of the exported histogram's buckets, microseconds (50 us to 10 s, 1-2.5-5 steps): the same on
     * every server, so that the buckets of many servers add up.
     */
    public static final long[] BUCKET_BOUNDS_MICROS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000,
        50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000};

    private final LatencyRecorder[] recorders;
    private final long[] bucketCounts = new long[BUCKET_BOUNDS_MICROS.length];
    private final Histogram[] recycled;
    private final Histogram[] slices = new Histogram[WINDOW_SLICES];
    private final Histogram window = LatencyRecorder.newHistogram();
    private long sliceStartNanos;
    private int currentSlice;
    private long count;
    private double sumMicros;

    /** A summary of what {@code recorders} record, its first slice starting at {@code nowNanos}. */
    public LatencySummary(final List<LatencyRecorder> recorders, final long nowNanos) {
        this.recorders = recorders.toArray(new LatencyRecorder[0]);
        this.recycled = new Histogram[this.recorders.length];
        for (int i = 0; i < WINDOW_SLICES; i++) {
            slices[i] = LatencyRecorder.newHistogram();
        }
        sliceStartNanos = nowNanos;
    }

    /** Takes what every recorder has recorded since the last call into the window's current slice and the totals. */
    public synchronized void collect(final long nowNanos) {
        advance(nowNanos);
        for (int i = 0; i < recorders.length; i++) {
            final Histogram interval = recorders[i].intervalHistogram(recycled[i]);
            recycled[i] = interval;
            final long intervalCount = interval.getTotalCount();
            if (intervalCount > 0) {
                slices[currentSlice].add(interval);
                count += intervalCount;
                for (int b = 0; b < BUCKET_BOUNDS_MICROS.length; b++) {
                    // within HdrHistogram's precision (three digits): a value at a bound may fall either side
                    bucketCounts[b] += interval.getCountBetweenValues(0, BUCKET_BOUNDS_MICROS[b]);
                }
                sumMicros += interval.getMean() * intervalCount;
            }
        }
    }

    /** Starts a new slice, emptying the oldest, for each slice length that has passed since the current one began. */
    private void advance(final long nowNanos) {
        long steps = (nowNanos - sliceStartNanos) / SLICE_NANOS;
        if (steps <= 0) {
            return;
        }
        sliceStartNanos += steps * SLICE_NANOS;
        for (steps = Math.min(steps, WINDOW_SLICES); steps > 0; steps--) {
            currentSlice = (currentSlice + 1) % WINDOW_SLICES;
            slices[currentSlice].reset();
        }
    }

    /** Collects, then the figures as of {@code nowNanos}. */
    public synchronized Snapshot snapshot(final long nowNanos) {
        collect(nowNanos);
        window.reset();
        for (final Histogram slice : slices) {
            window.add(slice);
        }
        final double[] values = new double[QUANTILES.length];
        final boolean empty = window.getTotalCount() == 0;
        for (int i = 0; i < QUANTILES.length; i++) {
            values[i] = empty ? Double.NaN : window.getValueAtPercentile(QUANTILES[i] * 100);
        }
        return new Snapshot(values, empty ? Double.NaN : window.getMaxValue(), window.getTotalCount(), count,
            Math.round(sumMicros), bucketCounts.clone());
    }

    /**
     * The figures of one scrape, microseconds.
     *
     * @param quantiles   the values at {@link #QUANTILES} over the window; NaN when it holds no sample
     * @param max         the largest value in the window; NaN when it holds none
     * @param windowCount samples in the window
     * @param count       samples since start
     * @param sum         their sum since start (to the histograms' precision: each value counts as its bucket's middle)
     * @param buckets     samples since start at or below each of {@link #BUCKET_BOUNDS_MICROS}, cumulative
     */
    public record Snapshot(double[] quantiles, double max, long windowCount, long count, long sum, long[] buckets) {
        /** For a server that records nothing. */
        public static final Snapshot EMPTY = new Snapshot(
            new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, Double.NaN, 0, 0, 0,
            new long[BUCKET_BOUNDS_MICROS.length]);
    }
}
