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

/** Two real servers; one stops gracefully mid-run and its subscribers fail over to the other. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReconnectIT {
    @TempDir
    Path temp;

    @Test
    void shouldFailOverToTheNextUrlWhenAServerStops() throws Exception {
        final TickerServer first = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(1000));
        final TickerServer second = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(1000));
        final ExecutorService runner = Executors.newSingleThreadExecutor();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        try {
            final CommandLine commandLine = LoadGeneratorMain.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            final Future<Integer> exit = runner.submit(() -> commandLine.execute("run",
                "--url", "ws://127.0.0.1:" + first.port() + "/ws,ws://127.0.0.1:" + second.port() + "/ws",
                "--connections", "40", "--symbols-per-connection", "5", "--reconnect",
                "--reconnect-initial-delay", "50ms", "--reconnect-max-delay", "500ms", "--warmup", "0s",
                "--duration", "4s", "--no-observer", "--out", temp.toString(), "--name", "failover"));

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (first.connections() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(20, first.connections(), "half the connections reached the first server");
            first.drainAndStop();

            assertEquals(0, exit.get(60, TimeUnit.SECONDS), "stdout:\n" + out + "\nstderr:\n" + err);
            final Path dir;
            try (Stream<Path> list = Files.list(temp)) {
                dir = list.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            final RunSummary summary = RunSummary.read(dir.resolve(ResultsWriter.SUMMARY));
            assertEquals(40, summary.number("connections", "peakUp"));
            assertEquals(20, summary.number("connections", "disconnects"), "the first server's clients dropped");
            assertEquals(20, summary.number("connections", "reconnects"), "and came back");
            assertEquals(20, summary.number("errors", "closed-by-server:1001"), "close code recorded");
            assertTrue(summary.number("throughput", "quotes") > 0);
        } finally {
            runner.shutdownNow();
            second.close();
            first.close();
        }
    }
}
