package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A graceful stop: /health turns 503 while draining and every client receives close 1001. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulStopIT {
    @Test
    void shouldSendGoingAwayToEveryClientAndReportDrainingMeanwhile() throws Exception {
        final TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(1000).drainTimeoutMs(1500));
        final TickerClient first = TickerClient.connect(server.port());
        final TickerClient second = TickerClient.connect(server.port());
        // A raw client that reads but never answers the close frame keeps the drain open for its timeout.
        final RawWebSocket silent = RawWebSocket.connect(server.port());
        first.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
        second.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
        first.await(e -> "subscribed".equals(e.get("type")), Duration.ofSeconds(5));
        second.await(e -> "subscribed".equals(e.get("type")), Duration.ofSeconds(5));

        final CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::drainAndStop);
        assertEquals(1001, first.awaitClose(Duration.ofSeconds(5)));
        assertEquals(1001, second.awaitClose(Duration.ofSeconds(5)));
        assertEquals(1001, silent.readUntilClose());

        final HttpResponse<String> health = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(503, health.statusCode());
        assertTrue(health.body().contains("\"DRAINING\""), health.body());

        stopping.get(10, java.util.concurrent.TimeUnit.SECONDS);
        silent.close();
    }
}
