package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped jars started as processes on loopback, as a user runs them: a feed publishing over Aeron and ticker
 * servers subscribing to it. Every process started is stopped by {@link #close()}; every wait is bounded.
 */
final class FeedProcesses implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path ROOT = Path.of(System.getProperty("ticker.root", ".."));

    private final List<Proc> started = new ArrayList<>();

    /** A started program and the lines it has printed so far. */
    static final class Proc {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuffer output = new StringBuffer();
        int port = -1;
        /** A server's "listening on" line. */
        String listening;

        Proc(final Process process) {
            this.process = process;
            final Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        output.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (final IOException e) {
                    output.append(e).append('\n');
                }
            }, "output-of-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line containing {@code text}; fails with the output so far if none comes in time. */
        String awaitLine(final String text, final Duration timeout) throws InterruptedException {
            final long deadline = System.nanoTime() + timeout.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                final String line = lines.poll(left, TimeUnit.NANOSECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
            }
            return fail("no line with '" + text + "' within " + timeout + "; output:\n" + output);
        }

        /** SIGTERM, then waits for the exit. */
        int stop(final Duration timeout) throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), "exited; output:\n" + output);
            return process.exitValue();
        }
    }

    static Path jar(final String module) {
        final Path jar = ROOT.resolve(module + "/target/" + module + ".jar");
        assertTrue(Files.exists(jar), "package first: " + jar);
        return jar;
    }

    /** A UDP port free on loopback now. */
    static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An Aeron multi-destination-cast pair on a free loopback control port: the feed publishes on {@code publish},
     * and any number of servers join with {@code subscribe}, each on its own ephemeral endpoint.
     */
    record FanOutChannels(String publish, String subscribe) {
        static FanOutChannels onFreePort() {
            final int control = freeUdpPort();
            return new FanOutChannels(
                "aeron:udp?control=localhost:" + control + "|control-mode=dynamic",
                "aeron:udp?endpoint=localhost:0|control=localhost:" + control + "|control-mode=dynamic");
        }
    }

    /** Starts {@code java -jar <module>.jar args...}. */
    Proc start(final String module, final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-jar", jar(module).toString()));
        command.addAll(List.of(args));
        final Proc proc = new Proc(new ProcessBuilder(command).redirectErrorStream(true).start());
        started.add(proc);
        return proc;
    }

    /** Starts a server on a free port and waits until it listens. */
    Proc server(final String... args) throws IOException, InterruptedException {
        final List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        all.addAll(List.of(args));
        final Proc proc = start("ticker-server", all.toArray(new String[0]));
        proc.listening = proc.awaitLine("listening on", Duration.ofSeconds(30));
        final Matcher matcher = LISTENING.matcher(proc.listening);
        assertTrue(matcher.find());
        proc.port = Integer.parseInt(matcher.group(1));
        return proc;
    }

    /** The body of {@code GET path} on a server on loopback. */
    static String get(final int port, final String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        for (final Proc proc : started) {
            proc.process.destroy();
        }
        for (final Proc proc : started) {
            try {
                if (!proc.process.waitFor(10, TimeUnit.SECONDS)) {
                    proc.process.destroyForcibly();
                }
            } catch (final InterruptedException e) {
                proc.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
