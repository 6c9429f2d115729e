package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One feed process publishing over Aeron (MDC on loopback: one publication, many servers) and two ticker-server
 * processes carrying it: the same quotes with the same seq on both; a client of a stopped server carries on at the
 * other; a server started while the feed runs serves the current state within a bounded time.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AeronFeedIT {
    private static final String SYMBOLS = "40";
    private static final Duration SNAPSHOT_INTERVAL = Duration.ofMillis(500);
    /** A late server must have the current state within this: the snapshot interval, plus start-up slack. */
    private static final Duration CATCH_UP_BOUND = Duration.ofMillis(3 * SNAPSHOT_INTERVAL.toMillis());

    @Test
    void shouldCarryOneSequencedFeedOnTwoServersThroughAStopAndALateRestart() throws Exception {
        final FeedProcesses.FanOutChannels channels = FeedProcesses.FanOutChannels.onFreePort();
        final String publish = channels.publish();
        final String subscribe = channels.subscribe();
        try (FeedProcesses processes = new FeedProcesses()) {
            final FeedProcesses.Proc feed = processes.start("feed-simulator", "--publish", publish,
                "--duration", "0", "--rate", "400", "--symbols", SYMBOLS, "--zipf", "0",
                "--snapshot-interval", SNAPSHOT_INTERVAL.toMillis() + "ms");
            feed.awaitLine("publishing on", Duration.ofSeconds(30));
            final FeedProcesses.Proc serverA = processes.server("--symbols", SYMBOLS, "--feed", subscribe);
            final FeedProcesses.Proc serverB = processes.server("--symbols", SYMBOLS, "--feed", subscribe);
            assertFalse(serverA.listening.contains("updates/s"), "the feed sets the pace, not --rate: "
                + serverA.listening);

            try (TickerClient onA = TickerClient.connect(serverA.port);
                 TickerClient onB = TickerClient.connect(serverB.port)) {
                onA.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                onB.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                final Map<Long, String> seenOnA = new HashMap<>();
                final Map<Long, String> seenOnB = new HashMap<>();
                record(onA.collect(Duration.ofSeconds(3)), seenOnA);
                record(onB.drain(), seenOnB);
                assertSameQuotesForTheSameSeq(seenOnA, seenOnB, 300);

                // Stop B: its client is told (1001) and moves to A, where quotes carry on with the same seqs.
                assertEquals(0, serverB.stop(Duration.ofSeconds(15)), "B drains and exits 0");
                assertEquals(1001, onB.awaitClose(Duration.ofSeconds(5)));
                record(onB.drain(), seenOnB);
                final long lastSeqOnB = seenOnB.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
                try (TickerClient movedToA = TickerClient.connect(serverA.port)) {
                    movedToA.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                    final Map<String, Object> live = movedToA.await(
                        e -> "quote".equals(e.get("type")) && e.get("snapshot") == null, Duration.ofSeconds(5));
                    assertTrue(seq(live) > lastSeqOnB, "A continues after what B delivered: " + seq(live)
                        + " > " + lastSeqOnB);
                }

                // Restart B while the feed runs: within the bound it serves the current state, the same as A's.
                record(onA.drain(), seenOnA);
                final Map<String, Long> stateOnAAtRestart = lastSeqBySymbol(seenOnA);
                final FeedProcesses.Proc restartedB = processes.server("--symbols", SYMBOLS, "--feed", subscribe);
                Thread.sleep(CATCH_UP_BOUND.toMillis());
                try (TickerClient onRestartedB = TickerClient.connect(restartedB.port)) {
                    onRestartedB.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                    final List<Map<String, Object>> events = onRestartedB.collect(Duration.ofSeconds(1));
                    record(onA.collect(Duration.ofMillis(500)), seenOnA);
                    int snapshots = 0;
                    for (final Map<String, Object> event : events) {
                        if (Boolean.TRUE.equals(event.get("snapshot"))) {
                            snapshots++;
                            final String symbol = (String) event.get("symbol");
                            assertTrue(seq(event) >= stateOnAAtRestart.getOrDefault(symbol, -1L),
                                "the restarted server's snapshot of " + symbol + " is current: " + event);
                            assertEquals(seenOnA.get(seq(event)), signature(event),
                                "and the same quote A delivered with that seq");
                        }
                    }
                    assertEquals(Integer.parseInt(SYMBOLS), snapshots, "a snapshot of every symbol");
                    final Map<Long, String> seenOnRestartedB = new HashMap<>();
                    record(events, seenOnRestartedB);
                    assertSameQuotesForTheSameSeq(seenOnA, seenOnRestartedB, 100);
                }
                final String metrics = FeedProcesses.get(restartedB.port, "/metrics");
                assertTrue(metrics.contains("ticker_feed_gaps_total 0"), metrics);
                assertTrue(metrics.contains("ticker_feed_universe_mismatch 0"), metrics);
            }
        }
    }

    @Test
    void shouldCountAndHealTheGapOfAServerThatStalled() throws Exception {
        final String channel = "aeron:udp?endpoint=localhost:" + FeedProcesses.freeUdpPort();
        try (FeedProcesses processes = new FeedProcesses()) {
            final FeedProcesses.Proc feed = processes.start("feed-simulator", "--publish", channel,
                "--duration", "0", "--rate", "1000", "--symbols", SYMBOLS,
                "--snapshot-interval", SNAPSHOT_INTERVAL.toMillis() + "ms");
            feed.awaitLine("publishing on", Duration.ofSeconds(30));
            final FeedProcesses.Proc server = processes.server("--symbols", SYMBOLS, "--feed", channel);
            awaitMetric(server, "ticker_feed_messages_total", value -> value > 0, Duration.ofSeconds(10));

            // Aeron buffers and retransmits through a short stall; one longer than the feed driver's publication
            // connection timeout (5 s) drops the server from the stream, which it rejoins at the live position when
            // it resumes: it sees the seq jump.
            signal("STOP", server);
            Thread.sleep(6_500);
            signal("CONT", server);
            final long gaps = awaitMetric(server, "ticker_feed_gaps_total", value -> value > 0, Duration.ofSeconds(10));
            awaitMetric(server, "ticker_feed_gaps_healed_total", value -> value >= gaps, Duration.ofSeconds(5));
            assertTrue(metric(server, "ticker_feed_messages_missed_total") > 0);
        }
    }

    private static void signal(final String name, final FeedProcesses.Proc proc) throws Exception {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(proc.process.pid())).start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name);
    }

    private static long metric(final FeedProcesses.Proc server, final String name) throws Exception {
        for (final String line : FeedProcesses.get(server.port, "/metrics").split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no metric " + name);
    }

    private static long awaitMetric(final FeedProcesses.Proc server, final String name,
        final LongPredicate condition, final Duration timeout) throws Exception {
        final long deadline = System.nanoTime() + timeout.toNanos();
        long value = metric(server, name);
        while (!condition.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = metric(server, name);
        }
        assertTrue(condition.test(value), name + " was " + value + " after " + timeout);
        return value;
    }

    private static long seq(final Map<String, Object> event) {
        return ((Number) event.get("seq")).longValue();
    }

    private static String signature(final Map<String, Object> event) {
        return event.get("symbol") + " " + event.get("bid") + "x" + event.get("bidSize") + " " + event.get("ask")
            + "x" + event.get("askSize") + " " + event.get("last") + "x" + event.get("lastSize") + " "
            + event.get("volume") + " " + event.get("ts");
    }

    /** Records live quotes by seq, checking that each symbol's seq only goes up. */
    private static void record(final List<Map<String, Object>> events, final Map<Long, String> bySeq) {
        final Map<String, Long> last = new HashMap<>();
        for (final Map<String, Object> event : events) {
            if (!"quote".equals(event.get("type"))) {
                continue;
            }
            final String symbol = (String) event.get("symbol");
            final long seq = seq(event);
            final Long previous = last.put(symbol, seq);
            assertTrue(previous == null || seq > previous, symbol + " seq went from " + previous + " to " + seq);
            bySeq.put(seq, signature(event));
        }
    }

    private static Map<String, Long> lastSeqBySymbol(final Map<Long, String> bySeq) {
        final Map<String, Long> last = new HashMap<>();
        bySeq.forEach((seq, signature) -> last.merge(signature.substring(0, signature.indexOf(' ')), seq, Math::max));
        return last;
    }

    private static void assertSameQuotesForTheSameSeq(
        final Map<Long, String> one, final Map<Long, String> other, final int atLeast) {
        int common = 0;
        for (final Map.Entry<Long, String> entry : other.entrySet()) {
            final String mine = one.get(entry.getKey());
            if (mine != null) {
                common++;
                assertEquals(mine, entry.getValue(), "seq " + entry.getKey() + " is the same quote on both servers");
            }
        }
        assertTrue(common >= atLeast, "at least " + atLeast + " seqs seen on both servers, saw " + common);
    }
}
