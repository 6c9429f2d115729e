package io.ticker.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.loadgen.report.ResultsMerger;
import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.protocol.JsonParser;
import io.ticker.server.ServerConfig;
import io.ticker.server.TickerServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code run} command against the real server, on port 0, with real sockets. Small and short by design. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadGeneratorIT {
    private static TickerServer server;
    private static String url;

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startServer() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(2000));
        url = "ws://127.0.0.1:" + server.port() + "/ws";
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private int run(final String... args) {
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void shouldLoadTheServerAndWriteTheFourResultFiles() throws IOException {
        final int exit = run("run", "--url", url, "--connections", "200", "--symbols-per-connection", "5",
            "--ramp-up", "1000/s", "--warmup", "1s", "--duration", "3s", "--out", temp.toString(), "--name", "it",
            "--assert-delivered", "0.5", "--connect-timeout", "30s");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        final Path dir = onlyRunFolder();
        for (final String file : new String[] {ResultsWriter.SUMMARY, ResultsWriter.HLOG, ResultsWriter.HGRM,
            ResultsWriter.REPORT}) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file + " missing or empty");
        }
        final Object parsed = JsonParser.parse(Files.readString(dir.resolve(ResultsWriter.SUMMARY),
            StandardCharsets.UTF_8));
        assertTrue(parsed instanceof Map<?, ?>, "summary.json is not an object");
        final RunSummary summary = RunSummary.read(dir.resolve(ResultsWriter.SUMMARY));
        assertEquals(200, summary.number("connections", "peakUp"), "all connections up");
        assertEquals(200, summary.number("connections", "subscribed"), "all subscriptions acknowledged");
        assertTrue(summary.number("throughput", "quotes") > 0, "quotes received");
        assertTrue(summary.number("latencyMicros", "count") > 0, "latency recorded");
        assertEquals(summary.number("throughput", "quotes"), summary.number("latencyMicros", "count"),
            "every window quote is in the histogram");
        assertEquals(0, summary.number("seqViolations"), "seq order");
        assertEquals(0, summary.number("errors", "total"), "errors: " + summary.section("errors"));
        assertEquals("observer", summary.text("delivery", "method"));
        assertTrue(summary.number("delivery", "deliveredFraction") > 0.5, "delivered "
            + summary.number("delivery", "deliveredFraction"));
        assertTrue(summary.text("server", "metricsBefore", "http://127.0.0.1:" + server.port()) != null,
            "server /metrics captured");
        assertEquals(summary.number("latencyMicros", "count"),
            ResultsMerger.total(ResultsMerger.readIntervals(dir.resolve(ResultsWriter.HLOG))).getTotalCount(),
            "hlog holds the same quotes as the summary");
        final String report = Files.readString(dir.resolve(ResultsWriter.REPORT));
        assertTrue(report.contains("<svg") && report.contains("recorded window"), "report has the timeline");
        final RunSummary again = RunSummary.read(dir.resolve(ResultsWriter.SUMMARY));
        assertTrue(again.numbers("runTimeline", "second").length >= 4, "one point a second over the whole run");
        assertTrue(again.number("runTimeline", "phases", "windowStart") < again.number("runTimeline", "phases",
            "windowEnd"), "phases marked");
        assertTrue(out.toString().contains("p99.99"), "final table printed:\n" + out);
        assertTrue(err.toString().contains("recording"), "progress printed:\n" + err);
    }

    @Test
    void shouldDeliverEveryQuoteOverTheBinarySubprotocol() throws IOException {
        final int exit = run("run", "--url", url, "--subprotocol", "binary", "--connections", "100",
            "--symbols-per-connection", "5", "--ramp-up", "1000/s", "--warmup", "1s", "--duration", "3s",
            "--out", temp.toString(), "--name", "binary", "--assert-delivered", "1.0", "--connect-timeout", "30s");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
        assertEquals("ticker.v1.binary", summary.text("config", "subprotocol"));
        assertEquals(100, summary.number("connections", "subscribed"), "every subscribed event record was read");
        assertTrue(summary.number("throughput", "quotes") > 0, "quotes received");
        assertTrue(summary.number("throughput", "snapshots") > 0, "snapshot flags read");
        assertEquals(summary.number("throughput", "quotes"), summary.number("latencyMicros", "count"),
            "every window quote is in the histogram");
        assertEquals(0, summary.number("seqViolations"), "seq order");
        assertEquals(0, summary.number("errors", "total"), "errors: " + summary.section("errors"));
        assertEquals("observer", summary.text("delivery", "method"));
        assertEquals(1.0, summary.number("delivery", "deliveredFraction"), "all delivered (or counted conflated)");
        // 104 bytes a quote; frames at the window's edges also carry quotes from outside it, so allow a margin (a
        // JSON quote is over 160 bytes)
        final double bytesPerQuote = summary.number("throughput", "bytes") / summary.number("throughput", "quotes");
        assertTrue(bytesPerQuote >= 104 && bytesPerQuote < 130, "binary records on the wire: " + bytesPerQuote);
    }

    @Test
    void shouldReceiveEveryQuoteOverPermessageDeflateFromACompressingServer() throws IOException {
        try (TickerServer compressing = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(2000).compression(true))) {
            final int exit = run("run", "--url", "ws://127.0.0.1:" + compressing.port() + "/ws", "--connections", "20",
                "--symbols-per-connection", "5", "--compression", "--warmup", "0s", "--duration", "2s", "--out",
                temp.toString(), "--name", "deflate");

            assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
            final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
            assertEquals(20 + 1, summary.number("connections", "compressed"), "every connection and the observer");
            assertTrue(summary.number("throughput", "quotes") > 0);
            assertEquals(0, summary.number("seqViolations"));
            assertEquals(0, summary.number("errors", "total"), "errors: " + summary.section("errors"));
            assertTrue(summary.number("delivery", "deliveredFraction") > 0.5);
        }
    }

    @Test
    void shouldWarnWhenTheServerDoesNotCompress() throws IOException {
        final int exit = run("run", "--url", url, "--connections", "5", "--symbols-per-connection", "5",
            "--compression", "--warmup", "0s", "--duration", "1s", "--out", temp.toString(), "--name", "plain");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        assertEquals(0, RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY))
            .number("connections", "compressed"));
        assertTrue(err.toString().contains("accepted permessage-deflate on no connection"), err.toString());
    }

    @Test
    void shouldExitOneWhenAnAssertedP99IsImpossible() throws IOException {
        final int exit = run("run", "--url", url, "--connections", "20", "--symbols-per-connection", "20",
            "--warmup", "0s", "--duration", "2s", "--out", temp.toString(), "--name", "gate",
            "--assert-p99", "1us");

        assertEquals(1, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        assertTrue(out.toString().contains("FAILED"), out.toString());
        final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
        assertTrue(summary.value("assertions") instanceof java.util.List<?> list && !list.isEmpty());
    }

    @Test
    void shouldCountEveryQuoteOnFirehoseConnections() throws IOException {
        final int exit = run("run", "--url", url, "--connections", "5", "--firehose", "--warmup", "0s",
            "--duration", "2s", "--out", temp.toString(), "--name", "firehose");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
        assertTrue(summary.number("throughput", "quotes") > 0);
        assertEquals(0, summary.number("seqViolations"));
        assertTrue(summary.number("delivery", "perSubscriberDeliveredFraction", "min") > 0.5);
    }

    @Test
    void shouldHoldIdleConnectionsThatSubscribeToNothing() throws IOException {
        final int exit = run("run", "--url", url, "--connections", "50", "--symbols-per-connection", "0",
            "--ramp-up", "0s", "--warmup", "0s", "--duration", "1s", "--no-observer", "--out", temp.toString(),
            "--name", "idle");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
        assertEquals(50, summary.number("connections", "peakUp"));
        assertEquals(0, summary.number("throughput", "quotes"));
        assertEquals(0, summary.number("errors", "total"));
    }

    @Test
    void shouldReportSlowSubscribersApartFromHealthyOnes() throws IOException {
        final int exit = run("run", "--url", url, "--connections", "40", "--symbols-per-connection", "10",
            "--ramp-up", "0s", "--warmup", "0s", "--duration", "3s", "--drain-timeout", "3s", "--out",
            temp.toString(), "--name", "slow", "--slow-fraction", "0.25", "--slow-read-rate", "4k",
            "--pause-every", "1s", "--pause-for", "400ms");

        assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
        final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
        assertEquals(30, summary.number("subscriberGroups", "healthy", "subscribers"));
        assertEquals(10, summary.number("subscriberGroups", "slow", "subscribers"));
        assertEquals(summary.number("latencyMicros", "count"),
            summary.number("subscriberGroups", "healthy", "latencyMicros", "count"),
            "the main latency is the healthy subscribers'");
        assertTrue(summary.number("subscriberGroups", "slow", "latencyMicros", "count") > 0, "slow ones measured");
        assertEquals(0, summary.number("subscriberGroups", "healthy", "seqViolations"));
        assertEquals(0, summary.number("subscriberGroups", "slow", "seqViolations"));
        assertTrue(summary.number("subscriberGroups", "healthy", "delivery", "deliveredFraction") > 0.5);
        assertTrue(summary.number("upgradeTimeMicros", "count") >= 40, "handshakes timed");
        assertTrue(out.toString().contains("slow subscribers"), "table shows the slow group:\n" + out);
    }

    private Path onlyRunFolder() throws IOException {
        try (Stream<Path> list = Files.list(temp)) {
            return list.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }
}
