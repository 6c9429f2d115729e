package io.ticker.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsHandlerTest {
    @Test
    void shouldWriteAHopAsAPrometheusHistogramInSecondsWithItsMax() {
        final long[] buckets = {100, 300, 600, 900, 1_000, 1_200, 1_400, 1_450, 1_480, 1_490, 1_495, 1_496, 1_497,
            1_498, 1_499, 1_499, 1_500};
        final LatencySummary.Snapshot latency =
            new LatencySummary.Snapshot(new double[] {12, 40, 95, 310}, 1_023, 900, 1_500, 27_000, buckets);
        final StringBuilder out = new StringBuilder();

        MetricsHandler.histogram(out, "ticker_hop_seconds", "A hop.", latency);

        assertEquals("""
            # HELP ticker_hop_seconds A hop. Counts since start.
            # TYPE ticker_hop_seconds histogram
            ticker_hop_seconds_bucket{le="0.00005"} 100
            ticker_hop_seconds_bucket{le="0.0001"} 300
            ticker_hop_seconds_bucket{le="0.00025"} 600
            ticker_hop_seconds_bucket{le="0.0005"} 900
            ticker_hop_seconds_bucket{le="0.001"} 1000
            ticker_hop_seconds_bucket{le="0.0025"} 1200
            ticker_hop_seconds_bucket{le="0.005"} 1400
            ticker_hop_seconds_bucket{le="0.01"} 1450
            ticker_hop_seconds_bucket{le="0.025"} 1480
            ticker_hop_seconds_bucket{le="0.05"} 1490
            ticker_hop_seconds_bucket{le="0.1"} 1495
            ticker_hop_seconds_bucket{le="0.25"} 1496
            ticker_hop_seconds_bucket{le="0.5"} 1497
            ticker_hop_seconds_bucket{le="1"} 1498
            ticker_hop_seconds_bucket{le="2.5"} 1499
            ticker_hop_seconds_bucket{le="5"} 1499
            ticker_hop_seconds_bucket{le="10"} 1500
            ticker_hop_seconds_bucket{le="+Inf"} 1500
            ticker_hop_seconds_sum 0.027
            ticker_hop_seconds_count 1500
            # HELP ticker_hop_seconds_max Largest value of ticker_hop_seconds over the last minute, seconds.
            # TYPE ticker_hop_seconds_max gauge
            ticker_hop_seconds_max 0.001023
            """, out.toString());
    }

    @Test
    void shouldWriteNaNForTheMaxOfAnEmptyWindow() {
        final StringBuilder out = new StringBuilder();

        MetricsHandler.histogram(out, "ticker_hop_seconds", "A hop.", LatencySummary.Snapshot.EMPTY);

        assertEquals(1, out.toString().lines().filter(line -> line.endsWith(" NaN")).count(), out.toString());
        assertEquals(1, out.toString().lines().filter(line -> line.equals("ticker_hop_seconds_count 0")).count());
    }
}
