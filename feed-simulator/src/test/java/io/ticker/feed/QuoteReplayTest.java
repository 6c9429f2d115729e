package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.DurationText;
import io.ticker.protocol.Quote;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuoteReplayTest {
    private static final SymbolUniverse UNIVERSE = SymbolUniverse.generate(30, FeedSimulator.SEED_DEFAULT);

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void shouldReplayARecordingIntoTheSameQuotesWithTheSameSeq() throws IOException {
        final Path recording = dir.resolve("recording.jsonl");
        final Path replayed = dir.resolve("replayed.jsonl");
        assertEquals(0, run("--symbols", "30", "--count", "3000", "--out", recording.toString()));
        assertEquals(0, run("--symbols", "30", "--replay", recording.toString(), "--speed", "max",
            "--out", replayed.toString()));
        final List<String> original = withoutTimestamps(recording);
        assertEquals(3000, original.size());
        assertEquals(original, withoutTimestamps(replayed));
        assertTrue(err.toString().contains("replayed 3000 quotes"), err.toString());
    }

    @Test
    void shouldKeepTheRecordedPaceDividedBySpeed() throws IOException {
        final Path recording = dir.resolve("paced.jsonl");
        Files.write(recording, List.of(line("NVDA", 1_000_000), line("TSLA", 1_001_000), line("AAPL", 1_003_000)));
        final ManualClock clock = new ManualClock(0);
        final List<String> out = new ArrayList<>();
        try (QuoteReplay replay = new QuoteReplay(recording, UNIVERSE, 2, quote -> out.add(
            UNIVERSE.symbol(quote.symbolId) + "@" + quote.timestampMicros), clock, clock)) {
            assertEquals(1, replay.doWork(), "the first quote at once");
            assertEquals(0, replay.doWork());
            clock.advanceNanos(499_000);
            assertEquals(0, replay.doWork(), "1 ms recorded is 0.5 ms at speed 2");
            clock.advanceNanos(1_000);
            assertEquals(1, replay.doWork());
            clock.advanceNanos(1_000_000);
            assertEquals(1, replay.doWork());
            assertTrue(replay.finished());
            assertEquals(3, replay.quotesReplayed());
            assertEquals(List.of("NVDA@1763800000000000", "TSLA@1763800000000500", "AAPL@1763800000001500"), out,
                "stamped with the replay's own clock");
        }
    }

    @Test
    void shouldSkipAndCountLinesItCannotPlay() throws IOException {
        final Path recording = dir.resolve("mixed.jsonl");
        Files.write(recording, List.of(line("NVDA", 1), "not json", line("NOSUCH", 2), "", line("AAPL", 3)));
        final List<Quote> out = new ArrayList<>();
        try (QuoteReplay replay = new QuoteReplay(recording, UNIVERSE, QuoteReplay.AS_FAST_AS_POSSIBLE,
            quote -> out.add(new Quote().copyFrom(quote)))) {
            assertEquals(2, replay.doWork());
            assertFalse(replay.doWork() > 0);
            assertTrue(replay.finished());
            assertEquals(2, replay.linesSkipped());
            assertEquals(1_891_200, out.get(1).bid);
            assertEquals(300, out.get(1).bidSize);
        }
    }

    private static String line(final String symbol, final long ts) {
        return "{\"type\":\"quote\",\"symbol\":\"" + symbol + "\",\"seq\":1,\"bid\":189.12,\"bidSize\":300,"
            + "\"ask\":189.14,\"askSize\":200,\"last\":189.13,\"lastSize\":100,\"volume\":1234500,\"ts\":" + ts + "}";
    }

    private int run(final String... args) {
        return new CommandLine(new FeedSimulatorMain())
            .registerConverter(Duration.class, DurationText::parse)
            .setOut(new PrintWriter(new StringWriter(), true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }

    private static List<String> withoutTimestamps(final Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
            .map(line -> line.replaceAll("\"ts\":\\d+", "\"ts\":0"))
            .toList();
    }
}
