package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --replay FILE}: the server plays a recording in place of its simulator, quote for quote, seq for seq. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplayFeedIT {
    @TempDir
    Path dir;

    @Test
    void shouldServeTheRecordedQuotesInOrderWithTheirSeq() throws Exception {
        final Path recording = dir.resolve("recording.jsonl");
        final List<String> lines = new ArrayList<>();
        // The first line goes out as the server starts; the rest 2 s later, when the client has subscribed.
        lines.add("{\"type\":\"quote\",\"symbol\":\"MSFT\",\"seq\":0,\"bid\":1.01,\"bidSize\":1,\"ask\":1.02,"
            + "\"askSize\":1,\"last\":1.01,\"lastSize\":1,\"volume\":1,\"ts\":0}");
        final String[] symbols = {"NVDA", "TSLA", "AAPL"};
        for (int i = 0; i < 30; i++) {
            lines.add("{\"type\":\"quote\",\"symbol\":\"" + symbols[i % 3] + "\",\"seq\":" + i + ",\"bid\":10" + i
                + ".01,\"bidSize\":100,\"ask\":10" + i + ".02,\"askSize\":200,\"last\":10" + i
                + ".01,\"lastSize\":100,\"volume\":" + (1000 + i) + ",\"ts\":" + (2_000_000 + i * 20_000L) + "}");
        }
        Files.write(recording, lines, StandardCharsets.US_ASCII);
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(20)
            .replayFile(recording).replaySpeed(1));
             TickerClient client = TickerClient.connect(server.port())) {
            client.send("{\"op\":\"subscribe\",\"symbols\":[\"NVDA\",\"TSLA\",\"AAPL\"]}");
            // Whether a quote arrives live or as the snapshot of a late subscribe, it is the recorded one with its seq.
            final long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            long lastSeq = 0;
            while (lastSeq < 30 && System.nanoTime() < deadline) {
                final Map<String, Object> event = client.next(Duration.ofSeconds(10));
                if ("quote".equals(event.get("type"))) {
                    final int seq = ((Number) event.get("seq")).intValue();
                    assertEquals(symbols[(seq - 1) % 3], event.get("symbol"), event.toString());
                    assertEquals(1000 + seq - 1, ((Number) event.get("volume")).intValue(), event.toString());
                    lastSeq = Math.max(lastSeq, seq);
                }
            }
            assertEquals(30, lastSeq, "the last recorded quote arrived");
        }
    }
}
