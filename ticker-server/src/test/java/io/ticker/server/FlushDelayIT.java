package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.Quote;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** --max-flush-delay: quotes from many ring batches share a frame, every one arrives, in order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FlushDelayIT {
    private static final int QUOTES = 60;

    @Test
    void shouldBatchQuotesOfSeveralRingBatchesIntoFewFramesLosingNone() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(10)
            .embeddedFeed(false).maxFlushDelayNanos(Duration.ofMillis(200).toNanos()));
             TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + server.universe().symbol(0) + "\"]}");
            client.await(e -> "subscribed".equals(e.get("type")), Duration.ofSeconds(5));
            final int framesBefore = client.frames();

            final QuoteSink ingest = server.ingest();
            final Quote quote = new Quote();
            for (int i = 0; i < QUOTES; i++) {
                // One quote per ring batch: without the delay, each would be its own frame.
                ingest.onQuote(TestQuotes.fill(quote, 0, i));
                Thread.sleep(1);
            }
            long lastSeq = -1;
            for (int i = 0; i < QUOTES; i++) {
                final Map<String, Object> received = client.next(Duration.ofSeconds(5));
                final long seq = ((Number) received.get("seq")).longValue();
                assertTrue(seq > lastSeq, "in order");
                lastSeq = seq;
            }
            assertEquals(QUOTES - 1, lastSeq, "every quote arrived, the last one last");
            final int frames = client.frames() - framesBefore;
            assertTrue(frames <= QUOTES / 5, QUOTES + " quotes arrived in " + frames + " frames");
        }
    }
}
