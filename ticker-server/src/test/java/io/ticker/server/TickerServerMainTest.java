package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TickerServerMainTest {
    @Test
    void shouldExplainEveryFlagWithItsDefaultInHelp() {
        final StringWriter out = new StringWriter();
        final CommandLine cli = TickerServerMain.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        final String help = out.toString();
        for (final String flag : List.of("--host", "--port", "--symbols", "--rate", "--zipf", "--seed",
            "--ping-interval", "--max-message-size", "--max-subscriptions", "--ring-size", "--wait-strategy",
            "--io-threads", "--drain-timeout", "--compression", "--compression-level", "--burst-factor",
            "--burst-every", "--burst-for", "--feed-tick", "--write-path", "--send-buffer", "--version", "--help")) {
            assertTrue(help.contains(flag), "help lists " + flag);
        }
        assertTrue(help.contains("Default: 8080"), help);
        assertTrue(help.contains("Default: 15s"), help);
    }

    @Test
    void shouldStartWithoutFlagsFromExactlyTheDefaultsOfServerConfig() throws Exception {
        // --help shows the flags' defaults and tests build ServerConfig directly: the two must be the same settings
        final CommandLine cli = TickerServerMain.commandLine();
        cli.parseArgs();
        final ServerConfig fromFlags = ((TickerServerMain) cli.getCommand()).toConfig();
        final ServerConfig defaults = new ServerConfig();
        int compared = 0;
        for (final Method accessor : ServerConfig.class.getMethods()) {
            if (accessor.getParameterCount() != 0 || accessor.getDeclaringClass() != ServerConfig.class
                || accessor.getReturnType() == void.class || accessor.getReturnType() == ServerConfig.class) {
                continue;
            }
            assertEquals(accessor.invoke(defaults), accessor.invoke(fromFlags), accessor.getName());
            compared++;
        }
        assertTrue(compared > 40, "every setting compared: " + compared);
    }

    @Test
    void shouldNameItselfAndItsBuildInVersion() {
        final StringWriter out = new StringWriter();
        final CommandLine cli = TickerServerMain.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        // run from classes, so no jar manifest: the provider says so rather than print a wrong version
        assertTrue(out.toString().startsWith("ticker-server (development build)"), out.toString());
        assertTrue(out.toString().contains("JVM: " + System.getProperty("java.version")), out.toString());
    }

    @Test
    void shouldExitTwoNamingTheBadFlag() {
        assertUsageError("--port", "--port", "http");
        assertUsageError("--port", "--port", "70000");
        assertUsageError("--ring-size", "--ring-size", "1000");
        assertUsageError("--wait-strategy", "--wait-strategy", "sometimes");
        assertUsageError("--ping-interval", "--ping-interval", "soon");
        assertUsageError("--rate", "--rate", "-5");
        assertUsageError("--symbols", "--symbols", "0");
        assertUsageError("--compression-level", "--compression", "--compression-level", "10");
        assertUsageError("--feed-tick", "--feed-tick", "1s");
        assertUsageError("--write-path", "--write-path", "sendfile");
        assertUsageError("--send-buffer", "--send-buffer", "100");
        assertUsageError("--public-host", "--public-host", "https://ticker.example.com/");
        assertUsageError("--public-host", "--public-host", "ticker.example.com:99999");
        assertUsageError("--auth-failure-rate-per-ip", "--auth-failure-rate-per-ip", "-1");
        assertUsageError("--auth-failure-burst", "--auth-failure-burst", "0");
        assertUsageError("--burst-factor", "--burst-every", "5s", "--burst-factor", "0");
        assertUsageError("--burst-for", "--burst-every", "5s", "--burst-for", "6s");
        assertUsageError("--burst-for", "--burst-for", "1s");
        assertUsageError("--burst-every", "--burst-every", "5s", "--feed", "aeron:udp?endpoint=localhost:40123");
    }

    @Test
    void shouldGiveTheEmbeddedFeedItsBursts() {
        final TickerServerMain main = new TickerServerMain();
        final CommandLine cli = new CommandLine(main).registerConverter(java.time.Duration.class,
            io.ticker.protocol.DurationText::parse);
        cli.parseArgs("--rate", "1000", "--burst-every", "5s", "--burst-for", "1s", "--burst-factor", "3");
        final ServerConfig config = main.toConfig();

        assertEquals(3, config.feedBursts().factor());
        assertEquals(5_000_000_000L, config.feedBursts().periodNanos());
        assertEquals(1_000_000_000L, config.feedBursts().lengthNanos());
        assertTrue(new ServerConfig().feedBursts().isSteady(), "no bursts unless asked for");
    }

    @Test
    void shouldSayInOneLineThatTheTokenFileIsMissing() {
        final List<String> lines = usageErrorLines("--auth-tokens", "/no/such/tokens.txt");
        assertEquals(1, lines.size(), "one line, no usage or stack trace: " + lines);
        assertTrue(lines.get(0).contains("--auth-tokens") && lines.get(0).contains("no such file")
            && lines.get(0).contains("give a readable file"), lines.get(0));
    }

    @Test
    void shouldSayInOneLineThatATlsFileIsMissing() {
        final List<String> lines = usageErrorLines("--tls-cert", "/no/such/cert.pem", "--tls-key", "/no/such/key.pem");
        assertEquals(1, lines.size(), "one line, no usage or stack trace: " + lines);
        assertTrue(lines.get(0).contains("--tls-cert") && lines.get(0).contains("no such file"), lines.get(0));
    }

    @Test
    void shouldSuggestTheFlagMeantInOneLine() {
        final List<String> lines = usageErrorLines("--ports", "8080");
        assertEquals(1, lines.size(), "one line, not the usage: " + lines);
        assertTrue(lines.get(0).contains("--ports") && lines.get(0).contains("did you mean")
            && lines.get(0).contains("--port") && lines.get(0).contains("ticker-server --help"), lines.get(0));
        assertTrue(!lines.get(0).contains("Exception"), "no Java exception text: " + lines.get(0));
    }

    @Test
    void shouldPrintTheStackTraceOnlyWithVerbose() {
        final List<String> lines = usageErrorLines("--verbose", "--auth-tokens", "/no/such/tokens.txt");
        assertTrue(lines.size() > 1 && lines.get(1).contains("ParameterException"), String.join("\n", lines));
    }

    @Test
    void shouldEndTheHelpWithExamples() {
        final StringWriter out = new StringWriter();
        final CommandLine cli = TickerServerMain.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        final String help = out.toString().strip();
        final String examples = help.substring(help.lastIndexOf("Examples:"));
        assertEquals(4, examples.split("\\R").length, "a heading and three examples last:\n" + help);
        assertTrue(help.contains("--verbose"), help);
    }

    private static List<String> usageErrorLines(final String... args) {
        final StringWriter err = new StringWriter();
        final CommandLine cli = TickerServerMain.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute(args), String.join(" ", args));
        return List.of(err.toString().strip().split("\\R"));
    }

    private static void assertUsageError(final String named, final String... args) {
        final StringWriter err = new StringWriter();
        final CommandLine cli = TickerServerMain.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cli.execute(args), String.join(" ", args));
        assertTrue(err.toString().contains(named), "message names " + named + ": " + err);
    }
}
