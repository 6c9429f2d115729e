package io.ticker.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.server.ServerConfig;
import io.ticker.server.TickerServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Resume by seq through the load generator: half the connections reach a real server through a proxy that is cut
 * mid-window; they fail over to the server's own URL and resubscribe with since + epoch. Every resume recovers and
 * the observer (on the direct URL, never cut) finds nothing lost, where a plain resubscribe would lose what was made
 * while they were away.
 */
class ResumeThroughCutIT {
    @TempDir
    Path temp;

    @Test
    @Timeout(90)
    void shouldRecoverEveryUpdateMissedWhileAConnectionWasCut() throws Exception {
        final TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(2000));
        final ExecutorService runner = Executors.newSingleThreadExecutor();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        try (CuttableProxy proxy = new CuttableProxy(server.port())) {
            final CommandLine commandLine = LoadGeneratorMain.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            final Future<Integer> exit = runner.submit(() -> commandLine.execute("run",
                "--url", "ws://127.0.0.1:" + proxy.port() + "/ws", "--url", "ws://127.0.0.1:" + server.port() + "/ws",
                "--connections", "40", "--symbols-per-connection", "20", "--reconnect",
                "--reconnect-initial-delay", "200ms", "--reconnect-max-delay", "400ms", "--warmup", "1s",
                "--duration", "5s", "--out", temp.toString(), "--name", "resume"));

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (proxy.connections() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // 20 WebSockets, and the generator's HTTP probe of the first URL when it is still open
            assertTrue(proxy.connections() >= 20, "half the connections went through the proxy");
            // well inside the window: the ramp-up, 1 s of warm-up, then 2 s of the 5 s window
            Thread.sleep(3_000);
            proxy.cut();

            assertEquals(0, exit.get(60, TimeUnit.SECONDS), "stdout:\n" + out + "\nstderr:\n" + err);
            final RunSummary summary = summary();
            assertEquals(20, summary.number("connections", "disconnects"), "the proxied connections dropped");
            assertEquals(20, summary.number("resume", "asked"), "each came back asking to resume: " + out);
            assertEquals(20, summary.number("resume", "recovered"), "and the server had all they missed: " + out);
            assertTrue(summary.number("resume", "replayedQuotes") > 0, "what they missed was replayed: " + out);
            assertEquals("observer", summary.text("delivery", "method"));
            assertEquals(0, summary.number("delivery", "lost"), "nothing lost across the cut: " + out);
            assertEquals(0, summary.number("seqViolations"), "no duplicate, nothing out of order: " + out);
        } finally {
            runner.shutdownNow();
            server.close();
        }
    }

    private RunSummary summary() throws Exception {
        final Path dir;
        try (Stream<Path> list = Files.list(temp)) {
            dir = list.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        return RunSummary.read(dir.resolve(ResultsWriter.SUMMARY));
    }
}
