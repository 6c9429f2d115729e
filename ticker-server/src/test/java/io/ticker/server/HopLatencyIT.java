package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics shows the latency of each hop inside the server, from quotes a real client really received. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HopLatencyIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> HOPS =
        List.of("ticker_feed_to_ring_latency_microseconds", "ticker_ring_to_socket_latency_microseconds");
    private static final List<String> QUANTILES = List.of("0.5", "0.9", "0.99", "0.999");

    @Test
    void shouldExposeOrderedPercentilesOfEveryHopWhoseCountsGrow() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(2_000));
             TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            client.await(event -> "quote".equals(event.get("type")) && event.get("snapshot") == null,
                Duration.ofSeconds(10));
            client.collect(Duration.ofMillis(500));

            final Map<String, Double> first = scrape(server.port());
            for (final String hop : HOPS) {
                assertHopIsConsistent(first, hop);
            }

            client.collect(Duration.ofMillis(500));
            final Map<String, Double> second = scrape(server.port());
            for (final String hop : HOPS) {
                assertHopIsConsistent(second, hop);
                assertTrue(second.get(hop + "_count") > first.get(hop + "_count"), hop + " count grows");
                assertTrue(second.get(hop + "_sum") >= first.get(hop + "_sum"), hop + " sum grows");
            }
            // The later scrape's frame count: within one scrape the two are read a moment apart.
            assertTrue(first.get("ticker_ring_to_socket_latency_microseconds_count")
                <= second.get("ticker_frames_sent_total"), "at most one sample per frame");
        }
    }

    private static void assertHopIsConsistent(final Map<String, Double> metrics, final String hop) {
        assertTrue(metrics.get(hop + "_count") > 0, hop + " has samples");
        double previous = 0;
        for (final String quantile : QUANTILES) {
            final Double value = metrics.get(hop + "{quantile=\"" + quantile + "\"}");
            assertTrue(value != null && value >= previous, hop + " p" + quantile + " present and ordered: " + value);
            previous = value;
        }
        final double max = metrics.get(hop + "_max");
        assertTrue(previous <= max, hop + " p99.9 " + previous + " <= max " + max);
        assertTrue(max < 60_000_000, hop + " max within a minute: " + max);
    }

    /** Every sample line of /metrics by its name and labels. */
    private static Map<String, Double> scrape(final int port) throws Exception {
        final HttpResponse<String> response = HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        final Map<String, Double> metrics = new HashMap<>();
        for (final String line : response.body().split("\n")) {
            if (!line.startsWith("#")) {
                final int space = line.lastIndexOf(' ');
                metrics.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return metrics;
    }
}
