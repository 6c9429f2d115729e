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
        List.of("ticker_feed_to_ring_latency_seconds", "ticker_ring_to_socket_latency_seconds");
    private static final List<String> BOUNDS = List.of("0.00005", "0.0001", "0.00025", "0.0005", "0.001", "0.0025",
        "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf");

    @Test
    void shouldExposeAHistogramInSecondsOfEveryHopWhoseCountsGrow() throws Exception {
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
            assertTrue(first.get("ticker_ring_to_socket_latency_seconds_count")
                <= second.get("ticker_frames_sent_total"), "at most one sample per frame");
        }
    }

    private static void assertHopIsConsistent(final Map<String, Double> metrics, final String hop) {
        assertTrue(metrics.get(hop + "_count") > 0, hop + " has samples");
        double previous = 0;
        for (final String bound : BOUNDS) {
            final Double value = metrics.get(hop + "_bucket{le=\"" + bound + "\"}");
            assertTrue(value != null && value >= previous, hop + " le=" + bound + " present and cumulative: " + value);
            previous = value;
        }
        assertEquals(metrics.get(hop + "_count"), previous, hop + ": the +Inf bucket holds every sample");
        final double max = metrics.get(hop + "_max");
        assertTrue(max > 0 && max < 60, hop + " max in seconds, within a minute: " + max);
        assertTrue(metrics.get(hop + "_sum") / metrics.get(hop + "_count") <= max * 1.01 + 60,
            hop + " mean in seconds");
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
