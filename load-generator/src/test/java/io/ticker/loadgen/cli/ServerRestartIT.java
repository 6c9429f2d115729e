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
 * A server restarted under 1,000 connected load-generator clients with --reconnect: every client comes back to the
 * new server on the same port, their returns spread out by the backoff's jitter, and no 5xx storm (no upgrade
 * refused).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServerRestartIT {
    private static final int CLIENTS = 1_000;

    @TempDir
    Path temp;

    @Test
    void shouldBringEveryClientBackSpreadByJitterWithoutRefusals() throws Exception {
        final TickerServer first = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(1000).drainTimeoutMs(1000));
        final int port = first.port();
        TickerServer second = null;
        final ExecutorService runner = Executors.newSingleThreadExecutor();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        try {
            final CommandLine commandLine = LoadGeneratorMain.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            final Future<Integer> exit = runner.submit(() -> commandLine.execute("run",
                "--url", "ws://127.0.0.1:" + port + "/ws", "--connections", "" + CLIENTS,
                "--symbols-per-connection", "2", "--ramp-up", "2000/s", "--reconnect",
                "--reconnect-initial-delay", "200ms", "--reconnect-max-delay", "2s", "--warmup", "0s",
                "--duration", "15s", "--no-observer", "--out", temp.toString(), "--name", "restart"));

            waitFor(() -> first.connections() >= CLIENTS, 30, "all clients on the first server");
            first.drainAndStop();
            second = TickerServer.start(new ServerConfig().host("127.0.0.1").port(port).ratePerSecond(1000));
            final TickerServer restarted = second;

            final long start = System.nanoTime();
            waitFor(() -> restarted.connections() >= CLIENTS / 10, 30, "the first tenth back");
            final long tenthBackNanos = System.nanoTime() - start;
            waitFor(() -> restarted.connections() >= CLIENTS * 9 / 10, 30, "nine tenths back");
            final long ninetyBackNanos = System.nanoTime() - start;
            waitFor(() -> restarted.connections() >= CLIENTS, 30, "every client back");

            assertEquals(0, restarted.connectionsRefused(), "no upgrade refused: no 5xx storm");
            assertTrue(ninetyBackNanos - tenthBackNanos > TimeUnit.MILLISECONDS.toNanos(50),
                "returns spread by jitter, not one burst: 10% at " + tenthBackNanos / 1_000_000 + " ms, 90% at "
                    + ninetyBackNanos / 1_000_000 + " ms");

            assertEquals(0, exit.get(90, TimeUnit.SECONDS), "stdout:\n" + out + "\nstderr:\n" + err);
            final Path dir;
            try (Stream<Path> list = Files.list(temp)) {
                dir = list.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            final RunSummary summary = RunSummary.read(dir.resolve(ResultsWriter.SUMMARY));
            assertEquals(CLIENTS, summary.number("connections", "disconnects"), "every client saw the restart");
            assertEquals(CLIENTS, summary.number("connections", "reconnects"), "and came back");
            assertEquals(0, summary.number("seqViolations"), "seq stays in order per connection");
            assertEquals(2, ((java.util.List<?>) summary.value("feedResets", "epochs")).size(),
                "the restarted server's new epoch, named by its subscribed answer, started seq over: followed, "
                    + "not flagged");
        } finally {
            runner.shutdownNow();
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    private static void waitFor(final java.util.function.BooleanSupplier condition, final int seconds,
        final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
