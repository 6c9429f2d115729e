package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.AeronConnection;
import io.ticker.feed.FeedBurstOptions;
import io.ticker.feed.FeedBursts;
import io.ticker.feed.FeedSimulator;
import io.ticker.feed.SymbolUniverse;
import io.ticker.server.admission.AdmissionSettings;
import io.ticker.server.fanout.FanoutSettings;
import io.ticker.server.fanout.LivenessSettings;
import io.ticker.server.ingest.AeronFeedIngest;
import io.ticker.server.ingest.FeedSettings;
import io.ticker.server.ingest.FeedSource;
import io.ticker.server.ring.RingSettings;
import io.ticker.server.socket.ConnectionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

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
    void shouldStartWithoutFlagsFromExactlyTheDefaultsOfServerConfig() {
        // --help shows the flags' defaults and tests build ServerConfig directly: the two must be the same settings
        final CommandLine cli = TickerServerMain.commandLine();
        cli.parseArgs();
        final ServerConfig fromFlags = ((TickerServerMain) cli.getCommand()).toConfig();
        final ServerConfig defaults = new ServerConfig();

        assertEquals(defaults.listen(), fromFlags.listen());
        assertEquals(defaults.feed(), fromFlags.feed());
        assertEquals(defaults.admission(), fromFlags.admission());
        assertEquals(defaults.connection(), fromFlags.connection());
        assertEquals(defaults.ring(), fromFlags.ring());
        assertEquals(defaults.fanout(), fromFlags.fanout());
        assertEquals(defaults.liveness(), fromFlags.liveness());
    }

    @Test
    void shouldDefaultEveryFlagToItsSettingsConstantAndShowThatInHelp() {
        final Map<String, Object> constants = new TreeMap<>(Map.ofEntries(
            Map.entry("--host", ListenSettings.HOST_DEFAULT),
            Map.entry("--port", ListenSettings.PORT_DEFAULT),
            Map.entry("--io-threads", ListenSettings.IO_THREADS_DEFAULT),
            Map.entry("--send-buffer", ListenSettings.SEND_BUFFER_BYTES_DEFAULT),
            Map.entry("--max-header-size", ListenSettings.MAX_HEADER_BYTES_DEFAULT),
            Map.entry("--handshake-timeout", ListenSettings.HANDSHAKE_TIMEOUT_DEFAULT),
            Map.entry("--drain-timeout", ListenSettings.DRAIN_TIMEOUT_DEFAULT),
            Map.entry("--compression-level", ListenSettings.COMPRESSION_LEVEL_DEFAULT),
            Map.entry("--symbols", SymbolUniverse.SYMBOLS_DEFAULT),
            Map.entry("--rate", FeedSimulator.RATE_PER_SECOND_DEFAULT),
            Map.entry("--zipf", FeedSimulator.ZIPF_EXPONENT_DEFAULT),
            Map.entry("--seed", FeedSimulator.SEED_DEFAULT),
            Map.entry("--burst-factor", FeedBursts.FACTOR_DEFAULT),
            Map.entry("--burst-for", FeedBurstOptions.LENGTH_DEFAULT),
            Map.entry("--feed-tick", FeedSettings.FEED_TICK_DEFAULT),
            Map.entry("--feed", FeedSource.EMBEDDED),
            Map.entry("--feed-stream-id", AeronConnection.STREAM_ID_DEFAULT),
            Map.entry("--feed-idle-strategy", AeronFeedIngest.IDLE_STRATEGY_DEFAULT),
            Map.entry("--speed", FeedSettings.REPLAY_SPEED_DEFAULT),
            Map.entry("--ring-size", RingSettings.RING_SIZE_DEFAULT),
            Map.entry("--history", RingSettings.HISTORY_UPDATES_DEFAULT),
            Map.entry("--wait-strategy", RingSettings.WAIT_STRATEGY_DEFAULT),
            Map.entry("--max-message-size", ConnectionSettings.MAX_MESSAGE_SIZE_BYTES_DEFAULT),
            Map.entry("--max-subscriptions", ConnectionSettings.MAX_SUBSCRIPTIONS_PER_CONNECTION_DEFAULT),
            Map.entry("--command-rate", ConnectionSettings.COMMAND_RATE_PER_SECOND_DEFAULT),
            Map.entry("--command-burst", ConnectionSettings.COMMAND_BURST_DEFAULT),
            Map.entry("--max-fragments", ConnectionSettings.MAX_FRAGMENTS_PER_MESSAGE_DEFAULT),
            Map.entry("--inbound-frame-rate", ConnectionSettings.INBOUND_FRAME_RATE_PER_SECOND_DEFAULT),
            Map.entry("--inbound-frame-burst", ConnectionSettings.INBOUND_FRAME_BURST_DEFAULT),
            Map.entry("--write-path", ConnectionSettings.WRITE_PATH_DEFAULT),
            Map.entry("--max-flush-delay", FanoutSettings.MAX_FLUSH_DELAY_DEFAULT),
            Map.entry("--max-queued-bytes", FanoutSettings.MAX_QUEUED_BYTES_PER_CONNECTION_DEFAULT),
            Map.entry("--max-queued-total", FanoutSettings.MAX_QUEUED_BYTES_TOTAL_DEFAULT),
            Map.entry("--max-firehose", FanoutSettings.MAX_FIREHOSE_SUBSCRIBERS_DEFAULT),
            Map.entry("--ping-interval", LivenessSettings.PING_INTERVAL_DEFAULT),
            Map.entry("--stall-timeout", LivenessSettings.STALL_TIMEOUT_DEFAULT),
            Map.entry("--idle-timeout", LivenessSettings.IDLE_TIMEOUT_DEFAULT),
            Map.entry("--max-connections", AdmissionSettings.MAX_CONNECTIONS_DEFAULT),
            Map.entry("--max-connections-per-ip", AdmissionSettings.MAX_CONNECTIONS_PER_ADDRESS_DEFAULT),
            Map.entry("--connect-rate-per-ip", AdmissionSettings.CONNECT_RATE_PER_ADDRESS_DEFAULT),
            Map.entry("--auth-failure-rate-per-ip", AdmissionSettings.AUTH_FAILURE_RATE_PER_ADDRESS_DEFAULT),
            Map.entry("--auth-failure-burst", AdmissionSettings.AUTH_FAILURE_BURST_DEFAULT)));
        final CommandLine cli = TickerServerMain.commandLine();
        final StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setUsageHelpAutoWidth(false);
        cli.setUsageHelpWidth(1_000);
        assertEquals(0, cli.execute("--help"));
        final List<String> help = List.of(out.toString().split("\\R"));

        final Map<String, String> shown = new TreeMap<>();
        for (final OptionSpec option : cli.getCommandSpec().options()) {
            // the description as help shows it, ${DEFAULT-VALUE} filled in
            if (String.join(" ", option.description()).contains("Default: " + option.defaultValueString())) {
                shown.put(option.longestName(), option.defaultValueString());
            }
        }
        // a flag that shows a default has a constant here, and every constant here is a flag's default
        assertEquals(constants.keySet(), shown.keySet());
        for (final Map.Entry<String, Object> constant : constants.entrySet()) {
            final String flag = constant.getKey();
            final String value = String.valueOf(constant.getValue());
            assertEquals(value, shown.get(flag), flag);
            assertTrue(helpOf(flag, help).contains("Default: " + value), flag + " in help:\n" + out);
        }
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
        final FeedBursts bursts = main.toConfig().feed().feedBursts();

        assertEquals(3, bursts.factor());
        assertEquals(5_000_000_000L, bursts.periodNanos());
        assertEquals(1_000_000_000L, bursts.lengthNanos());
        assertTrue(new ServerConfig().feed().feedBursts().isSteady(), "no bursts unless asked for");
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

    /** What help says of {@code flag}: its line, and the description's lines under it up to the next flag. */
    private static String helpOf(final String flag, final List<String> help) {
        final Pattern anyFlag = Pattern.compile("^\\s*(-\\w, )?--[\\w-]+.*");
        final Pattern thisFlag = Pattern.compile("^\\s*(-\\w, )?" + Pattern.quote(flag) + "([=\\s\\[].*)?");
        final StringBuilder text = new StringBuilder();
        boolean inside = false;
        for (final String line : help) {
            if (anyFlag.matcher(line).matches()) {
                inside = thisFlag.matcher(line).matches();
            }
            if (inside) {
                text.append(line.strip()).append(' ');
            }
        }
        return text.toString();
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
