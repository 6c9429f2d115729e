package io.ticker.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.server.metrics.LatencyRecorder;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
    private static final long START_NANOS = 1_000_000_000L;

    private final LatencyRecorder ringThread = new LatencyRecorder();
    private final LatencyRecorder ioThread = new LatencyRecorder();
    private final LatencySummary summary = new LatencySummary(List.of(ringThread, ioThread), START_NANOS);

    @Test
    void shouldMergeEveryWritersSamplesIntoOrderedQuantiles() {
        for (int micros = 1; micros <= 1_000; micros++) {
            ringThread.recordMicros(micros);
            ioThread.recordMicros(micros + 1_000);
        }

        final LatencySummary.Snapshot snapshot = summary.snapshot(START_NANOS);

        assertEquals(2_000, snapshot.count());
        assertEquals(2_000, snapshot.windowCount());
        assertEquals(1_000, snapshot.quantiles()[0], 1_000 * 0.001, "p50");
        assertEquals(1_800, snapshot.quantiles()[1], 1_800 * 0.001, "p90");
        assertEquals(1_980, snapshot.quantiles()[2], 1_980 * 0.001, "p99");
        assertEquals(1_998, snapshot.quantiles()[3], 1_998 * 0.001, "p99.9");
        assertEquals(2_000, snapshot.max(), 2_000 * 0.001);
        assertEquals(2_001_000, snapshot.sum(), 2_001_000 * 0.001, "sum of 1..2000");
        for (int i = 1; i < snapshot.quantiles().length; i++) {
            assertTrue(snapshot.quantiles()[i - 1] <= snapshot.quantiles()[i]);
        }
        assertTrue(snapshot.quantiles()[3] <= snapshot.max());
    }

    @Test
    void shouldForgetSamplesOlderThanTheWindowButKeepCountingThem() {
        ringThread.recordMicros(50_000);
        summary.collect(START_NANOS);
        ringThread.recordMicros(10);

        final long afterWindow = START_NANOS + LatencySummary.WINDOW_SLICES * LatencySummary.SLICE_NANOS;
        final LatencySummary.Snapshot snapshot = summary.snapshot(afterWindow);

        assertEquals(1, snapshot.windowCount(), "only the sample taken after the window moved on");
        assertEquals(10, snapshot.max(), 0.01);
        assertEquals(2, snapshot.count(), "count is since start");
        assertEquals(50_010, snapshot.sum(), 50);
    }

    @Test
    void shouldKeepSamplesOfTheLastMinute() {
        ringThread.recordMicros(700);
        summary.collect(START_NANOS);

        final long stillInWindow = START_NANOS + (LatencySummary.WINDOW_SLICES - 1) * LatencySummary.SLICE_NANOS;
        assertEquals(1, summary.snapshot(stillInWindow).windowCount());
    }

    @Test
    void shouldShowNaNQuantilesWhenTheWindowIsEmpty() {
        final LatencySummary.Snapshot snapshot = summary.snapshot(START_NANOS);

        assertEquals(0, snapshot.count());
        assertTrue(Double.isNaN(snapshot.quantiles()[0]));
        assertTrue(Double.isNaN(snapshot.max()));
    }

    @Test
    void shouldClampNegativeAndHugeLatenciesIntoTheRange() {
        ringThread.recordMicros(-5);
        ringThread.recordMicros(Long.MAX_VALUE);

        final LatencySummary.Snapshot snapshot = summary.snapshot(START_NANOS);

        assertEquals(2, snapshot.count());
        assertEquals(0, snapshot.quantiles()[0], 0.01);
        assertEquals(LatencyRecorder.HIGHEST_TRACKABLE_MICROS, snapshot.max(),
            LatencyRecorder.HIGHEST_TRACKABLE_MICROS * 0.001);
    }
}
