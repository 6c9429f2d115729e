package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped jar as a user runs it: starts, serves, and on SIGTERM sends 1001 and exits 0. */
class ServerProcessIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

    private static Process startJar(final String jvmFlag) throws Exception {
        final Path jar = Path.of(System.getProperty("ticker.root", "..")).resolve("ticker-server/target/"
            + "ticker-server.jar");
        assertTrue(Files.exists(jar), "package the server first: " + jar);
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), jvmFlag,
            "-jar", jar.toString(), "--host", "127.0.0.1", "--port", "0", "--rate", "1000")
            .redirectErrorStream(true).start();
    }

    @Test
    void aHeapRatioOnTheJavaCommandLineWins() throws Exception {
        final Process process = startJar("-XX:MaxHeapFreeRatio=50");
        try {
            final BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !LISTENING.matcher(line).find()) {
                continue;
            }
            assertTrue(line != null, "the server started");
            final String heap = output.readLine();
            assertTrue(heap.contains("(-XX:MinHeapFreeRatio=10;"), heap);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldDrainOnSigtermAndExitZero() throws Exception {
        final Process process = startJar("-Dticker.test=process");
        try {
            final BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            int port = -1;
            String line;
            while (port < 0 && (line = output.readLine()) != null) {
                final Matcher matcher = LISTENING.matcher(line);
                if (matcher.find()) {
                    port = Integer.parseInt(matcher.group(1));
                    assertTrue(line.endsWith("at 1000 updates/s"), "the simulator's rate: " + line);
                }
            }
            assertTrue(port > 0, "the server printed its port");
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
