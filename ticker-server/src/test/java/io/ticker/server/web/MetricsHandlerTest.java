package io.ticker.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsHandlerTest {
    @Test
    void shouldWriteAHopAsAPrometheusSummaryWithItsMax() {
        final LatencySummary.Snapshot latency =
            new LatencySummary.Snapshot(new double[] {12, 40, 95, 310}, 1_023, 900, 1_500, 27_000);
        final StringBuilder out = new StringBuilder();

        MetricsHandler.summary(out, "ticker_hop_microseconds", "A hop.", latency);

        assertEquals("""
            # HELP ticker_hop_microseconds A hop. Quantiles over the last minute, sum and count since start.
            # TYPE ticker_hop_microseconds summary
            ticker_hop_microseconds{quantile="0.5"} 12
            ticker_hop_microseconds{quantile="0.9"} 40
            ticker_hop_microseconds{quantile="0.99"} 95
            ticker_hop_microseconds{quantile="0.999"} 310
            ticker_hop_microseconds_sum 27000
            ticker_hop_microseconds_count 1500
            # HELP ticker_hop_microseconds_max Largest value of ticker_hop_microseconds over the last minute.
            # TYPE ticker_hop_microseconds_max gauge
            ticker_hop_microseconds_max 1023
            """, out.toString());
    }

    @Test
    void shouldWriteNaNForAnEmptyWindow() {
        final StringBuilder out = new StringBuilder();

        MetricsHandler.summary(out, "ticker_hop_microseconds", "A hop.", LatencySummary.Snapshot.EMPTY);

        assertEquals(5, out.toString().lines().filter(line -> line.endsWith(" NaN")).count(), out.toString());
        assertEquals(1, out.toString().lines().filter(line -> line.equals("ticker_hop_microseconds_count 0")).count());
    }
}
