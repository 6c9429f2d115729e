package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A feed process killed (SIGKILL) and started again under two server processes with connected clients: both servers
 * become ready again with the new epoch within 2 s of the new feed publishing, and every client gets the reset, then
 * live quotes of the new session, with seq increasing per symbol within each epoch and no quote of the old session
 * after the reset.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FeedRestartIT {
    private static final String SYMBOLS = "40";
    private static final Duration FEED_START = Duration.ofSeconds(30);

    @Test
    void shouldResetEveryClientOfBothServersToTheRestartedFeed() throws Exception {
        final FeedProcesses.FanOutChannels channels = FeedProcesses.FanOutChannels.onFreePort();
        final String publish = channels.publish();
        final String subscribe = channels.subscribe();
        try (FeedProcesses processes = new FeedProcesses()) {
            final FeedProcesses.Proc first = ReadinessIT.feed(processes, publish, SYMBOLS);
            first.awaitLine("publishing on", FEED_START);
            final List<FeedProcesses.Proc> servers = List.of(
                processes.server("--symbols", SYMBOLS, "--feed", subscribe),
                processes.server("--symbols", SYMBOLS, "--feed", subscribe));
            long firstEpoch = 0;
            for (final FeedProcesses.Proc server : servers) {
                firstEpoch = ReadinessIT.epoch(ReadinessIT.awaitHealth(server.port, h -> h.status() == 200,
                    FEED_START));
            }
            final List<TickerClient> clients = new ArrayList<>();
            final List<Stream> streams = new ArrayList<>();
            try {
                for (final FeedProcesses.Proc server : servers) {
                    final TickerClient client = TickerClient.connect(server.port);
                    client.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"all\"}");
                    final Map<String, Object> ack = client.next(Duration.ofSeconds(5));
                    assertEquals(firstEpoch, ((Number) ack.get("epoch")).longValue(), "the ack's epoch: " + ack);
                    clients.add(client);
                    streams.add(new Stream());
                }
                for (int c = 0; c < clients.size(); c++) {
                    streams.get(c).read(clients.get(c).collect(Duration.ofSeconds(1)));
                    assertTrue(streams.get(c).liveQuotes > 100, "live quotes before the restart");
                }

                first.process.destroyForcibly();
                assertTrue(first.process.waitFor(10, TimeUnit.SECONDS));
                for (final FeedProcesses.Proc server : servers) {
                    ReadinessIT.awaitHealth(server.port, h -> h.status() == 503, Duration.ofSeconds(10));
                }
                final FeedProcesses.Proc second = ReadinessIT.feed(processes, publish, SYMBOLS);
                second.awaitLine("publishing on", FEED_START);
                final long publishingNanos = System.nanoTime();
                long secondEpoch = 0;
                for (final FeedProcesses.Proc server : servers) {
                    final ReadinessIT.Health ready = ReadinessIT.awaitHealth(server.port,
                        h -> h.status() == 200, Duration.ofSeconds(10));
                    final long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishingNanos);
                    secondEpoch = ReadinessIT.epoch(ready);
                    assertNotEquals(firstEpoch, secondEpoch, ready.body());
                    System.out.println("FeedRestartIT: server on port " + server.port + " ready " + readyMs
                        + " ms after the restarted feed published: " + ready.body());
                    assertTrue(readyMs <= 2_000, "ready again within 2 s: " + readyMs + " ms");
                }

                for (int c = 0; c < clients.size(); c++) {
                    final Stream stream = streams.get(c);
                    final long liveBefore = stream.liveQuotes;
                    final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while ((stream.resetEpoch == 0 || stream.liveQuotes - liveBefore < 100)
                        && System.nanoTime() < deadline) {
                        stream.read(clients.get(c).collect(Duration.ofMillis(200)));
                    }
                    assertEquals(secondEpoch, stream.resetEpoch, "client " + c + " got the reset to the new epoch");
                    assertEquals(1, stream.resets, "one reset");
                    assertTrue(stream.liveQuotes - liveBefore >= 100, "live quotes again after the reset");
                    assertEquals(0, stream.violations, "seq goes back within an epoch: " + stream.firstViolation);
                    System.out.println("FeedRestartIT: client " + c + ": reset to epoch " + stream.resetEpoch + ", "
                        + (stream.liveQuotes - liveBefore) + " live quotes after it, " + stream.violations
                        + " seq violations");
                }
            } finally {
                clients.forEach(TickerClient::close);
            }
        }
    }

    /** What one client saw: live quotes, resets, and whether seq went back per symbol within an epoch. */
    private static final class Stream {
        long liveQuotes;
        long resets;
        long resetEpoch;
        long violations;
        String firstViolation;
        private final Map<Object, Long> lastSeq = new HashMap<>();

        void read(final List<Map<String, Object>> events) {
            for (final Map<String, Object> event : events) {
                if ("reset".equals(event.get("type"))) {
                    resets++;
                    resetEpoch = ((Number) event.get("epoch")).longValue();
                    // seq is comparable only within an epoch
                    lastSeq.clear();
                } else if ("quote".equals(event.get("type"))) {
                    final long seq = ((Number) event.get("seq")).longValue();
                    final Long previous = lastSeq.put(event.get("symbol"), seq);
                    if (previous != null && seq <= previous) {
                        violations++;
                        if (firstViolation == null) {
                            firstViolation = event + " after seq " + previous;
                        }
                    }
                    if (!Boolean.TRUE.equals(event.get("snapshot"))) {
                        liveQuotes++;
                    }
                }
            }
        }
    }
}
