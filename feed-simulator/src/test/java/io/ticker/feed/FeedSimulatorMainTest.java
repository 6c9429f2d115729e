package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.FixedPoint;
import io.ticker.protocol.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedSimulatorMainTest {
    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldListEveryFlagWithItsDefaultInHelp() {
        assertEquals(0, run("--help"));

        final String help = out.toString();
        for (final String expected : List.of(
            "--symbols", "Default: 500", "--rate", "Default: 5000.0", "--zipf", "Default: 1.0", "--seed",
            "Default: 42", "--duration", "Default: 10s", "--out", "Default: -", "--idle-strategy",
            "Default: sleeping", "--list-symbols", "--count", "--burst-factor", "--burst-every", "--burst-for",
            "--help", "--version")) {
            assertTrue(help.contains(expected), "help lacks '" + expected + "':\n" + help);
        }
    }

    @Test
    void shouldPrintAVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("feed-simulator "), out.toString());
    }

    @Test
    void shouldExitTwoNamingTheFlagForBadValues() {
        assertUsageError("--rate", "--rate", "-5");
        assertUsageError("--rate", "--rate", "0");
        assertUsageError("--symbols", "--symbols", "abc");
        assertUsageError("--symbols", "--symbols", "0");
        assertUsageError("--symbols", "--symbols", "20001");
        assertUsageError("--zipf", "--zipf", "-0.5");
        assertUsageError("--duration", "--duration", "soon");
        assertUsageError("--idle-strategy", "--idle-strategy", "lazy");
        assertUsageError("--count", "--count", "-1");
        assertUsageError("--burst-factor", "--burst-every", "5s", "--burst-factor", "0.5");
        assertUsageError("--burst-factor", "--burst-factor", "3");
        assertUsageError("--burst-for", "--burst-every", "1s", "--burst-for", "1s");
        assertUsageError("--burst-every", "--burst-every", "0s");
        assertUsageError("--burst-every", "--burst-every", "5s", "--count", "10");
    }

    @Test
    void shouldWritePacedJsonLinesWithIncreasingSeq() throws IOException {
        final Path file = directory.resolve("quotes.jsonl");

        assertEquals(0, run("--duration", "200ms", "--rate", "5000", "--out", file.toString()), err.toString());

        final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        // 1,000 due in 200 ms; generous bounds since the machine is shared, no timing is asserted here.
        assertTrue(lines.size() > 100 && lines.size() <= 1_000, lines.size() + " lines");
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, 42);
        for (int i = 0; i < lines.size(); i++) {
            final Map<?, ?> quote = assertInstanceOf(Map.class, JsonParser.parse(lines.get(i)), lines.get(i));
            assertEquals("quote", quote.get("type"));
            assertEquals(BigDecimal.valueOf(i), quote.get("seq"), lines.get(i));
            assertTrue(universe.idOf((String) quote.get("symbol")) >= 0, lines.get(i));
            final BigDecimal bid = (BigDecimal) quote.get("bid");
            final BigDecimal ask = (BigDecimal) quote.get("ask");
            assertTrue(bid.compareTo(ask) < 0, lines.get(i));
            assertTrue(((BigDecimal) quote.get("ts")).longValueExact() > 1_600_000_000_000_000L, lines.get(i));
        }
        final String summary = err.toString();
        assertTrue(summary.contains(lines.size() + " quotes"), summary);
    }

    @Test
    void shouldWriteTheSameQuotesForTheSameSeedApartFromTimestamps() throws IOException {
        final Path first = directory.resolve("first.jsonl");
        final Path second = directory.resolve("second.jsonl");
        final Path other = directory.resolve("other.jsonl");

        assertEquals(0, run("--count", "5000", "--seed", "7", "--out", first.toString()));
        assertEquals(0, run("--count", "5000", "--seed", "7", "--out", second.toString()));
        assertEquals(0, run("--count", "5000", "--seed", "8", "--out", other.toString()));

        final List<String> firstLines = withoutTimestamps(first);
        assertEquals(5_000, firstLines.size());
        assertEquals(firstLines, withoutTimestamps(second));
        assertNotEquals(firstLines, withoutTimestamps(other));
    }

    @Test
    void shouldListTheUniverseAsJson() {
        assertEquals(0, run("--list-symbols", "--symbols", "50"));

        final List<?> symbols = assertInstanceOf(List.class, JsonParser.parse(out.toString()));
        assertEquals(50, symbols.size());
        final SymbolUniverse universe = SymbolUniverse.generate(50, 42);
        double totalRate = 0;
        for (int id = 0; id < symbols.size(); id++) {
            final Map<?, ?> symbol = (Map<?, ?>) symbols.get(id);
            assertEquals(BigDecimal.valueOf(id), symbol.get("id"));
            assertEquals(universe.symbol(id), symbol.get("symbol"));
            assertEquals(universe.basePrice(id), FixedPoint.parse(symbol.get("basePrice").toString()));
            totalRate += ((BigDecimal) symbol.get("expectedRatePerSecond")).doubleValue();
        }
        assertEquals(5_000, totalRate, 0.01);
    }

    @Test
    void shouldFailWithExitOneWhenTheOutputCannotBeOpened() {
        final Path missing = directory.resolve("no-such-directory").resolve("quotes.jsonl");

        assertEquals(1, run("--count", "10", "--out", missing.toString()));
        assertTrue(err.toString().contains("no-such-directory"), err.toString());
    }

    @Test
    void shouldSayWhatIsWrongInOneLineWithAHint() {
        assertEquals(2, run("--rat", "5"));
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, "one line, not the usage:\n" + err);
        assertTrue(lines[0].contains("did you mean") && lines[0].contains("--rate")
            && lines[0].contains("feed-simulator --help"), lines[0]);
    }

    @Test
    void shouldSayInOneLineThatTheRecordingIsMissing() {
        assertEquals(2, run("--replay", directory.resolve("missing.jsonl").toString()));
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, "one line:\n" + err);
        assertTrue(lines[0].contains("--replay") && lines[0].contains("missing.jsonl"), lines[0]);
    }

    @Test
    void shouldSayInOneLineWhyTheOutputCannotBeWrittenWithoutExceptionText() {
        assertEquals(1, run("--count", "10", "--out", directory.resolve("none").resolve("q.jsonl").toString()));
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, "one line:\n" + err);
        assertTrue(!lines[0].contains("Exception") && lines[0].contains("--out"), lines[0]);
    }

    @Test
    void shouldEndTheHelpWithExamples() {
        assertEquals(0, run("--help"));
        final String help = out.toString().strip();
        assertEquals(4, help.substring(help.lastIndexOf("Examples:")).split("\\R").length, help);
        assertTrue(help.contains("--verbose"), help);
    }

    private void assertUsageError(final String flag, final String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(2, run(args), String.join(" ", args));
        assertTrue(err.toString().contains(flag), "message should name " + flag + ": " + err);
    }

    private int run(final String... args) {
        return FeedSimulatorMain.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    }

    private static List<String> withoutTimestamps(final Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
            .map(line -> line.replaceAll("\"ts\":\\d+", "\"ts\":0"))
            .toList();
    }
}
