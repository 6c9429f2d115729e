package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /health/ready} (and {@code /health}) answer 200 only while the server serves live prices, 503 with the
 * reason otherwise; {@code /health/live} answers 200 throughout. The server runs in this JVM on an Aeron feed that a
 * feed process publishes, stopped (SIGKILL) and started again, as an orchestrator would see it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReadinessIT {
    private static final String SYMBOLS = "40";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The feed's JVM starting on a shared machine: the bound for it to publish its first heartbeat. */
    private static final Duration FEED_START = Duration.ofSeconds(30);

    @Test
    void shouldFlipReadinessAsTheAeronFeedIsStoppedAndStartedAgain() throws Exception {
        final String channel = "aeron:udp?endpoint=localhost:" + FeedProcesses.freeUdpPort();
        try (FeedProcesses processes = new FeedProcesses();
             TickerServer server = TickerServer.start(aeronServer(channel, SYMBOLS))) {
            Health ready = health(server, "/health/ready");
            assertEquals(503, ready.status, "nobody publishes: " + ready.body);
            assertEquals("NOT_READY", ready.json.get("status"));
            assertEquals("no message from the feed yet", ready.json.get("reason"));
            assertEquals(503, health(server, "/health").status, "/health answers as /health/ready does");
            assertEquals(200, health(server, "/health/live").status, "the process works");

            final FeedProcesses.Proc first = feed(processes, channel, SYMBOLS);
            ready = awaitHealth(server, h -> h.status == 200, FEED_START);
            final long firstEpoch = epoch(ready);
            assertTrue(firstEpoch > 0, ready.body);
            Thread.sleep(2_500);
            final double rate = ((Number) health(server, "/health").json.get("ratePerSecond")).doubleValue();
            assertTrue(rate > 200 && rate < 800, "ratePerSecond measured from the Aeron feed (400/s): " + rate);
            System.out.println("ReadinessIT: feed up: " + ready.body);

            first.process.destroyForcibly();
            final long killedNanos = System.nanoTime();
            final Health stale = awaitHealth(server, h -> h.status == 503, Duration.ofSeconds(10));
            final long notReadyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);
            assertTrue(String.valueOf(stale.json.get("reason")).startsWith("nothing from the feed for"), stale.body);
            assertEquals(200, health(server, "/health/live").status);
            System.out.println("ReadinessIT: feed killed, not ready after " + notReadyMs + " ms: " + stale.body);

            final FeedProcesses.Proc second = feed(processes, channel, SYMBOLS);
            second.awaitLine("publishing on", FEED_START);
            final long publishingNanos = System.nanoTime();
            ready = awaitHealth(server, h -> h.status == 200, FEED_START);
            final long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishingNanos);
            assertNotEquals(firstEpoch, epoch(ready), "a new feed session, a new epoch: " + ready.body);
            System.out.println("ReadinessIT: feed restarted, ready " + readyMs + " ms after it published: "
                + ready.body);
            assertTrue(readyMs <= 2_000, "ready with the new epoch within 2 s of the feed publishing: " + readyMs);
        }
    }

    @Test
    void shouldNotBeReadyOnAFeedWhoseUniverseIsNotTheServers() throws Exception {
        final String channel = "aeron:udp?endpoint=localhost:" + FeedProcesses.freeUdpPort();
        try (FeedProcesses processes = new FeedProcesses();
             TickerServer server = TickerServer.start(aeronServer(channel, SYMBOLS))) {
            feed(processes, channel, "30");
            final Health health = awaitHealth(server, h -> h.json.get("reason") != null
                && h.json.get("reason").toString().contains("universe"), FEED_START);
            assertEquals(503, health.status, health.body);
            Thread.sleep(1_500);
            assertEquals(503, health(server, "/health/ready").status, "and stays so while it does not match");
        }
    }

    @Test
    void shouldBeReadyAsALateJoinerOnlyWithTheFeedsSnapshotLoaded() throws Exception {
        final String channel = "aeron:udp?endpoint=localhost:" + FeedProcesses.freeUdpPort();
        try (FeedProcesses processes = new FeedProcesses()) {
            final FeedProcesses.Proc feed = feed(processes, channel, SYMBOLS);
            feed.awaitLine("publishing on", FEED_START);
            // every symbol has traded (400/s over 40 symbols, evenly) by the time the server joins
            Thread.sleep(1_000);
            try (TickerServer server = TickerServer.start(aeronServer(channel, SYMBOLS))) {
                awaitHealth(server, h -> h.status == 200, FEED_START);
                try (TickerClient client = TickerClient.connect(server.port())) {
                    client.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"all\"}");
                    final Map<String, Object> ack = client.next(Duration.ofSeconds(5));
                    assertEquals("subscribed", ack.get("type"));
                    assertTrue(((Number) ack.get("epoch")).longValue() > 0, "the ack carries the epoch: " + ack);
                    long snapshots = 0;
                    for (final Map<String, Object> event : client.collect(Duration.ofMillis(300))) {
                        if (Boolean.TRUE.equals(event.get("snapshot"))) {
                            snapshots++;
                        }
                    }
                    assertEquals(Long.parseLong(SYMBOLS), snapshots, "ready means a snapshot of every symbol");
                }
            }
        }
    }

    @Test
    void shouldNotBeReadyWhileDraining() throws Exception {
        final TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(10)
            .ratePerSecond(100).drainTimeoutMs(3_000));
        try (RawWebSocket silent = RawWebSocket.connect(server.port())) {
            final Health before = health(server, "/health/ready");
            assertEquals(200, before.status, "the embedded feed is live from the start: " + before.body);
            assertTrue(epoch(before) > 0, before.body);
            final CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::drainAndStop);
            assertEquals(1001, silent.readUntilClose());
            final Health draining = health(server, "/health/ready");
            assertEquals(503, draining.status, draining.body);
            assertEquals("DRAINING", draining.json.get("status"));
            assertEquals(503, health(server, "/health").status);
            assertEquals(200, health(server, "/health/live").status, "draining is not wedged");
            stopping.get(15, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    static ServerConfig aeronServer(final String channel, final String symbols) {
        return new ServerConfig().host("127.0.0.1").port(0).symbols(Integer.parseInt(symbols)).feed(channel);
    }

    static FeedProcesses.Proc feed(final FeedProcesses processes, final String channel, final String symbols)
        throws Exception {
        return processes.start("feed-simulator", "--publish", channel, "--duration", "0", "--rate", "400",
            "--symbols", symbols, "--zipf", "0");
    }

    static long epoch(final Health health) {
        return ((Number) health.json.get("epoch")).longValue();
    }

    /** One answer of a health route: status, body, and the body parsed. */
    record Health(int status, String body, Map<String, Object> json) {
    }

    @SuppressWarnings("unchecked")
    static Health health(final int port, final String path) throws Exception {
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        return new Health(response.statusCode(), response.body(), (Map<String, Object>) JsonParser.parse(
            response.body()));
    }

    private static Health health(final TickerServer server, final String path) throws Exception {
        return health(server.port(), path);
    }

    /** Polls {@code /health/ready} until it answers as {@code wanted}; fails with the last answer otherwise. */
    static Health awaitHealth(final int port, final Predicate<Health> wanted, final Duration timeout)
        throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Health last;
        do {
            last = health(port, "/health/ready");
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("/health/ready not as wanted within " + timeout + ": " + last.body);
    }

    private static Health awaitHealth(final TickerServer server, final Predicate<Health> wanted,
        final Duration timeout) throws Exception {
        return awaitHealth(server.port(), wanted, timeout);
    }
}
