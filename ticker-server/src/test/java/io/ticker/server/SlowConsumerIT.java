package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that subscribes to everything and never reads: conflation bounds what the server holds for it, the
 * conflated count grows, and a healthy client on the same server keeps getting fresh quotes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowConsumerIT {
    @Test
    void shouldConflateForSubscriberThatDoesNotReadWhileOthersStayPrompt() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(20_000).symbols(500).pingIntervalMs(60_000));
             RawWebSocket stalled = RawWebSocket.connect(server.port(), 4096);
             TickerClient healthy = TickerClient.connect(server.port())) {
            stalled.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            healthy.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            healthy.await(e -> "subscribed".equals(e.get("type")), Duration.ofSeconds(5));

            // Let the stalled client's socket buffers fill so that conflation starts.
            waitUntil(() -> server.quotesConflated() > 1_000, Duration.ofSeconds(10));
            // The healthy client queues what it receives in this JVM's heap: only the server's share is compared.
            healthy.drain();
            final long heapAtStart = ResourceBaseline.heapAfterGc();
            final long conflatedAtStart = server.quotesConflated();

            final long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            final java.util.List<Long> ages = new java.util.ArrayList<>();
            while (System.nanoTime() < until) {
                final Map<String, Object> quote = healthy.next(Duration.ofSeconds(2));
                if (!"quote".equals(quote.get("type")) || Boolean.TRUE.equals(quote.get("snapshot"))) {
                    continue;
                }
                final long ageMicros = (Long) quote.get(TickerClient.RECEIVED_MICROS)
                    - ((Number) quote.get("ts")).longValue();
                ages.add(ageMicros);
            }
            healthy.drain();
            final long heapGrowth = ResourceBaseline.heapAfterGc() - heapAtStart;
            final long conflatedDuring = server.quotesConflated() - conflatedAtStart;

            assertTrue(conflatedDuring > 10_000, "the stalled client is conflated: " + conflatedDuring);
            assertTrue(ages.size() > 100, "the healthy client keeps receiving: " + ages.size());
            java.util.Collections.sort(ages);
            final long medianAge = ages.get(ages.size() / 2);
            final long worstAge = ages.get(ages.size() - 1);
            // Were the ring waiting on the stalled reader, the healthy client would see seconds, or nothing.
            assertTrue(medianAge < 250_000, "promptly: median age " + medianAge + " us");
            assertTrue(worstAge < 2_000_000, "promptly: worst age " + worstAge + " us");
            // 60,000 updates went by; unbounded queuing would hold them all (about 15 MB).
            assertTrue(heapGrowth < 8 * 1024 * 1024, "heap grew by " + heapGrowth + " bytes");
        }
    }

    @Test
    void shouldConflateASlowClientWithinASecondWhenTheSendBufferIsCapped() throws Exception {
        // 2,000 updates/s of ~200 bytes: a Linux socket left to autotune its send buffer (up to 4 MiB) would hide
        // this client's backlog in the kernel for about ten seconds; a 16 KiB cap shows it in well under one.
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(2_000).symbols(50).pingIntervalMs(60_000).sendBufferBytes(16 * 1024));
             RawWebSocket stalled = RawWebSocket.connect(server.port(), 4096)) {
            stalled.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
            final long start = System.nanoTime();
            waitUntil(() -> server.quotesConflated() > 0, Duration.ofSeconds(10));
            final long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2_000, "conflation began after " + millis + " ms");
        }
    }

    @Test
    void shouldAccountForEveryUpdateAsDeliveredOrConflatedWhenAStalledClientCatchesUp() throws Exception {
        // The contract's promise: delivered + conflated counts every update, so a client can tell conflation from loss.
        final int updates = 100_000;
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(10)
            .embeddedFeed(false));
             RawWebSocket ws = RawWebSocket.connect(server.port(), 4096)) {
            ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            assertTrue(ws.readText().contains("\"subscribed\""));

            // The client reads nothing while every update is published: its socket fills, the server conflates.
            final io.ticker.feed.QuoteSink ingest = server.ingest();
            final io.ticker.protocol.Quote quote = new io.ticker.protocol.Quote();
            for (int i = 0; i < updates; i++) {
                ingest.onQuote(TestQuotes.fill(quote, 0, i));
                if (i % 200 == 199) {
                    // Many ring batches, so that batches arrive while a frame is stuck: that is when conflation works.
                    Thread.sleep(1);
                }
            }
            waitUntil(() -> server.quotesConflated() > 0, Duration.ofSeconds(10));

            // Caught up: every update is either delivered or counted in a later quote's "conflated".
            long accounted = 0;
            long reportedConflated = 0;
            long lastSeq = -1;
            while (lastSeq < updates - 1) {
                for (final Object event : (java.util.List<?>) io.ticker.protocol.JsonParser.parse(ws.readText())) {
                    final Map<?, ?> fields = (Map<?, ?>) event;
                    final long seq = ((Number) fields.get("seq")).longValue();
                    assertTrue(seq > lastSeq, "seq increases");
                    lastSeq = seq;
                    final Object conflated = fields.get("conflated");
                    final long replaced = conflated == null ? 0 : ((Number) conflated).longValue();
                    reportedConflated += replaced;
                    accounted += 1 + replaced;
                }
            }
            assertEquals(updates, accounted, "delivered + conflated = published");
            assertTrue(reportedConflated > 0, "the client was told of conflation, not just the server's counter");
            assertEquals(server.quotesConflated(), reportedConflated, "the client was told of every conflated update");
        }
    }

    static void waitUntil(final java.util.function.BooleanSupplier condition, final Duration timeout)
        throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
