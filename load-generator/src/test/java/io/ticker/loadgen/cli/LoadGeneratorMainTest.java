package io.ticker.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadGeneratorMainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(final String... args) {
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(LoadGeneratorMain.withDefaultSubcommand(args));
    }

    @Test
    void shouldPrintTheUsageAndStartNoRunWithoutArguments() {
        assertEquals(2, execute());
        assertTrue(err.toString().contains("Usage: load-generator"), "usage on stderr:\n" + err);
        assertTrue(err.toString().contains("load-generator run --url"), "an example run:\n" + err);
        assertEquals("", out.toString(), "nothing on stdout: no run, no table");
    }

    @Test
    void shouldPrintItsVersionAndTheJvmLikeTheOtherPrograms() {
        assertEquals(0, execute("--version"));
        final String[] lines = out.toString().strip().split("\\R");
        assertTrue(lines[0].startsWith("load-generator (development build)"), out.toString());
        assertEquals(2, lines.length, out.toString());
        assertTrue(lines[1].startsWith("JVM: " + System.getProperty("java.version")), out.toString());
    }

    @Test
    void shouldSayWhatIsWrongWithAFlagInOneLine() {
        assertEquals(2, execute("run", "--duration", "5x"));
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, "one line, no usage after it:\n" + err);
        assertTrue(lines[0].contains("--duration") && lines[0].contains("'5x' is not a duration")
            && lines[0].contains("load-generator run --help"), lines[0]);
    }

    @Test
    void shouldSuggestTheFlagMeantInOneLine() {
        assertEquals(2, execute("run", "--conections", "5"));
        final String[] lines = err.toString().strip().split("\\R");
        assertEquals(1, lines.length, "one line, no usage after it:\n" + err);
        assertTrue(lines[0].contains("did you mean") && lines[0].contains("--connections"), lines[0]);
    }

    @Test
    void shouldEndEveryHelpWithExamples() {
        for (final String[] args : new String[][] {{"--help"}, {"run", "--help"}, {"merge", "--help"},
            {"compare", "--help"}}) {
            out.getBuffer().setLength(0);
            assertEquals(0, execute(args), String.join(" ", args));
            final String help = out.toString().strip();
            final int examples = help.substring(help.lastIndexOf("Examples:")).split("\\R").length;
            assertTrue(examples == 3 || examples == 4, "two or three examples last:\n" + help);
            assertTrue(help.contains("--verbose"), help);
        }
    }

    @Test
    void shouldShowEveryRunFlagWithItsDefaultInHelp() {
        assertEquals(0, execute("run", "--help"));
        final String help = out.toString();
        for (final String expected : new String[] {"--url", "ws://localhost:8080/ws", "--connections", "100",
            "--ramp-up", "1000/s", "--symbols-per-connection", "10", "--firehose", "--symbol-skew", "uniform",
            "--duration", "30s", "--warmup", "5s", "--subprotocol", "json", "--compression", "--reconnect", "--name",
            "--out", "results", "--seed", "42", "--[no-]observer", "--insecure", "--event-loops", "--assert-p99",
            "--assert-delivered"}) {
            assertTrue(help.contains(expected), "help lacks " + expected + ":\n" + help);
        }
    }

    @Test
    void shouldMakeRunTheDefaultSubcommand() {
        assertArrayEquals(new String[] {"run", "--connections", "5"},
            LoadGeneratorMain.withDefaultSubcommand(new String[] {"--connections", "5"}));
        assertArrayEquals(new String[0], LoadGeneratorMain.withDefaultSubcommand(new String[0]));
        assertArrayEquals(new String[] {"--help"}, LoadGeneratorMain.withDefaultSubcommand(new String[] {"--help"}));
        assertArrayEquals(new String[] {"merge", "a"}, LoadGeneratorMain.withDefaultSubcommand(
            new String[] {"merge", "a"}));
    }

    @Test
    void shouldExitTwoNamingABadDuration() {
        assertEquals(2, execute("--duration", "soon"));
        assertTrue(err.toString().contains("--duration"), err.toString());
    }

    @Test
    void shouldExitTwoNamingABadRampUp() {
        assertEquals(2, execute("run", "--ramp-up", "quickly"));
        assertTrue(err.toString().contains("--ramp-up"), err.toString());
    }

    @Test
    void shouldExitTwoForZeroConnections() {
        assertEquals(2, execute("run", "--connections", "0"));
        assertTrue(err.toString().contains("--connections"), err.toString());
    }

    @Test
    void shouldExitTwoForAUrlThatIsNotWebSocket() {
        assertEquals(2, execute("run", "--url", "http://localhost:8080/ws"));
        assertTrue(err.toString().contains("--url"), err.toString());
    }

    @Test
    void shouldAcceptTheBinarySubprotocolAndGoOnToTheServer() {
        // past the flags (not 2): the run fails (1) only because nothing listens on port 9
        assertEquals(1, execute("run", "--subprotocol", "binary", "--url", "ws://127.0.0.1:9/ws", "--duration", "1s",
            "--warmup", "0s", "--connections", "1"));
        assertTrue(err.toString().contains("/api/symbols"), err.toString());
    }

    @Test
    void shouldExitTwoNamingAnUnknownSubprotocol() {
        assertEquals(2, execute("run", "--subprotocol", "xml"));
        assertTrue(err.toString().contains("--subprotocol must be json or binary"), err.toString());
    }

    @Test
    void shouldExitTwoForADeliveredFractionAboveOne() {
        assertEquals(2, execute("run", "--assert-delivered", "1.5"));
        assertTrue(err.toString().contains("--assert-delivered"), err.toString());
    }

    @Test
    void shouldExitTwoNamingAnUnknownFlag() {
        assertEquals(2, execute("run", "--conections", "5"));
        assertTrue(err.toString().contains("--conections"), err.toString());
    }

    @Test
    void shouldExitOneWhenTheServerCannotBeReached() {
        // port 9 (discard) on loopback: nothing listens, so the symbol list cannot be read
        assertEquals(1, execute("run", "--url", "ws://127.0.0.1:9/ws", "--duration", "1s", "--warmup", "0s",
            "--connections", "1"));
        assertTrue(err.toString().contains("/api/symbols"), err.toString());
    }
}
