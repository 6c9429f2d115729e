package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shipped jar as a user runs it: starts, serves, and on SIGTERM sends 1001 and exits 0. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ServerProcessIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

    /** The shipped jar on an ephemeral port, with {@code jvmFlags} before {@code -jar}. */
    private static Process startJar(final String... jvmFlags) throws Exception {
        final Path jar = Path.of(System.getProperty("ticker.root", "..")).resolve("ticker-server/target/"
            + "ticker-server.jar");
        assertTrue(Files.exists(jar), "package the server first: " + jar);
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("-jar", jar.toString(), "--host", "127.0.0.1", "--port", "0", "--rate", "1000"));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the server's output up to its listening line and returns that line, or null if it never came. */
    private static String awaitListening(final BufferedReader output) throws Exception {
        String line;
        while ((line = output.readLine()) != null && !LISTENING.matcher(line).find()) {
            continue;
        }
        return line;
    }

    /** Runs the shipped jar with {@code args} to its exit and returns its exit code and every line it printed. */
    private static Finished runJar(final String... args) throws Exception {
        final Path jar = Path.of(System.getProperty("ticker.root", "..")).resolve("ticker-server/target/"
            + "ticker-server.jar");
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits by itself");
            return new Finished(process.exitValue(), output.strip().isEmpty() ? List.of()
                : List.of(output.strip().split("\\R")));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Finished(int exitCode, List<String> lines) {
    }

    @Test
    void shouldPrintOneLineAndExitOneOnABusyPort() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            final Finished run = runJar("--host", "127.0.0.1", "--port", "" + busy.getLocalPort());
            assertEquals(1, run.exitCode(), String.join("\n", run.lines()));
            assertEquals(1, run.lines().size(), "exactly one line:\n" + String.join("\n", run.lines()));
            final String line = run.lines().get(0);
            assertTrue(line.startsWith("ticker-server: cannot listen on 127.0.0.1:" + busy.getLocalPort())
                && line.contains("--port") && !line.contains("Exception"), line);
        }
    }

    @Test
    void shouldPrintOneLineAndExitTwoForAMissingTokenFileOrAnUnknownFlag() throws Exception {
        final Finished tokens = runJar("--auth-tokens", "/no/such/tokens.txt");
        assertEquals(2, tokens.exitCode());
        assertEquals(1, tokens.lines().size(), String.join("\n", tokens.lines()));
        assertTrue(tokens.lines().get(0).contains("--auth-tokens"), tokens.lines().get(0));

        final Finished unknown = runJar("--ports", "8080");
        assertEquals(2, unknown.exitCode());
        assertEquals(1, unknown.lines().size(), String.join("\n", unknown.lines()));
        assertTrue(unknown.lines().get(0).contains("did you mean --port"), unknown.lines().get(0));
    }

    @Test
    void aHeapRatioOnTheJavaCommandLineWins() throws Exception {
        final Process process = startJar("-XX:MaxHeapFreeRatio=50");
        try {
            final BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            assertTrue(awaitListening(output) != null, "the server started");
            final String heap = output.readLine();
            assertTrue(heap.contains("(-XX:MinHeapFreeRatio=10;"), heap);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldDrainOnSigtermAndExitZero() throws Exception {
        final Process process = startJar();
        try {
            final BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            final String listening = awaitListening(output);
            assertTrue(listening != null, "the server printed its port");
            assertTrue(listening.endsWith("at 1000 updates/s"), "the simulator's rate: " + listening);
            final Matcher matcher = LISTENING.matcher(listening);
            assertTrue(matcher.find());
            final int port = Integer.parseInt(matcher.group(1));
            assertTrue(output.readLine().contains("(-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30;"),
                "the JVM took both heap ratios");
            try (TickerClient client = TickerClient.connect(port)) {
                client.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                client.await(e -> "quote".equals(e.get("type")), Duration.ofSeconds(5));
                process.destroy();
                assertEquals(1001, client.awaitClose(Duration.ofSeconds(5)));
            }
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "exits within a few seconds");
            assertEquals(0, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }
}
