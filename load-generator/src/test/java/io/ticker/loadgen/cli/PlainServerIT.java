package io.ticker.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.loadgen.report.ResultsWriter;
import io.ticker.loadgen.report.RunSummary;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The load generator against servers that are not ours: a plain RFC 6455 server (Undertow with no subprotocols, so its
 * 101 names none, which the contract reads as {@code ticker.v1.json}) is measured; a server whose 101 names a
 * subprotocol that was never offered is refused, and the failure says so.
 */
@Timeout(120)
class PlainServerIT {
    private static final String RFC_6455_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final long QUOTE_PERIOD_MS = 10;

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldMeasureAServerThatChoosesNoSubprotocolAsJson() throws IOException {
        try (PlainServer server = new PlainServer()) {
            final int exit = run("run", "--url", server.url(), "--firehose", "--connections", "20", "--ramp-up", "0s",
                "--warmup", "1s", "--duration", "2s", "--connect-timeout", "30s", "--out", temp.toString(),
                "--name", "plain");

            assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
            final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
            assertEquals(20, summary.number("connections", "subscribed"), "every subscription acknowledged");
            assertEquals(21, summary.number("connections", "withoutSubprotocol"), "20 subscribers and the observer");
            assertTrue(summary.number("throughput", "quotes") > 0, "quotes received");
            assertEquals(summary.number("throughput", "quotes"), summary.number("latencyMicros", "count"));
            assertEquals(0, summary.number("seqViolations"));
            assertEquals(0, summary.number("errors", "total"), "errors: " + summary.section("errors"));
            assertTrue(summary.text("connections", "subprotocolNote").contains("ticker.v1.json"));
            assertTrue(out.toString().contains("read as ticker.v1.json"), "the table says so:\n" + out);
            assertTrue(err.toString().contains("the whole run takes up to about 13s: ramp-up ~0s (20 connections at "
                + "0s), warm-up 1s, window 2s, drain up to 10s"), "the plan up front:\n" + err);
            assertTrue(err.toString().contains(" of ~") && err.toString().contains("recording"),
                "progress shows elapsed of total and the phase:\n" + err);
        }
    }

    @Test
    void shouldReadAServerThatIgnoresTheBinaryOfferAsJsonAndWarn() throws IOException {
        try (PlainServer server = new PlainServer()) {
            final int exit = run("run", "--url", server.url(), "--firehose", "--subprotocol", "binary",
                "--connections", "5", "--ramp-up", "0s", "--warmup", "0s", "--duration", "2s", "--connect-timeout",
                "30s", "--out", temp.toString(), "--name", "plain-binary");

            assertEquals(0, exit, "stdout:\n" + out + "\nstderr:\n" + err);
            final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
            assertTrue(summary.number("throughput", "quotes") > 0, "text frames read as JSON");
            assertEquals(0, summary.number("errors", "total"), "errors: " + summary.section("errors"));
            assertTrue(err.toString().contains("WARNING: --subprotocol binary: the server chose no subprotocol"),
                "stderr:\n" + err);
        }
    }

    @Test
    void shouldRefuseASubprotocolThatWasNotOffered() throws IOException {
        try (WrongSubprotocolServer server = new WrongSubprotocolServer()) {
            final int exit = run("run", "--url", server.url(), "--firehose", "--no-observer", "--connections", "3",
                "--ramp-up", "0s", "--warmup", "0s", "--duration", "1s", "--connect-timeout", "5s",
                "--out", temp.toString(), "--name", "wrong");

            assertEquals(1, exit, "no connection came up; stdout:\n" + out + "\nstderr:\n" + err);
            final RunSummary summary = RunSummary.read(onlyRunFolder().resolve(ResultsWriter.SUMMARY));
            assertEquals(3, summary.number("errors", "subprotocol-not-offered:ticker.v9.other"),
                "errors: " + summary.section("errors"));
            assertEquals(0, summary.number("connections", "peakUp"));
        }
    }

    private int run(final String... args) {
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private Path onlyRunFolder() throws IOException {
        try (Stream<Path> list = Files.list(temp)) {
            return list.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /**
     * A WebSocket server that knows nothing of subprotocols: it answers any {@code subscribe} with {@code subscribed}
     * and sends every subscribed connection one quote of one symbol every {@link #QUOTE_PERIOD_MS}.
     */
    private static final class PlainServer implements AutoCloseable {
        private final Set<WebSocketChannel> subscribed = ConcurrentHashMap.newKeySet();
        private final AtomicLong seq = new AtomicLong();
        private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor();
        private final Undertow undertow;

        PlainServer() {
            undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(Handlers.path().addPrefixPath("/ws", Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(final WebSocketChannel from,
                            final BufferedTextMessage message) {
                            if (message.getData().contains("\"subscribe\"")) {
                                WebSockets.sendText("[{\"type\":\"subscribed\",\"symbols\":[\"*\"]}]", from, null);
                                subscribed.add(from);
                            }
                        }
                    });
                    channel.addCloseTask(subscribed::remove);
                    channel.resumeReceives();
                })))
                .build();
            undertow.start();
            feed.scheduleAtFixedRate(this::publish, QUOTE_PERIOD_MS, QUOTE_PERIOD_MS, TimeUnit.MILLISECONDS);
        }

        String url() {
            final InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
            return "ws://127.0.0.1:" + address.getPort() + "/ws";
        }

        private void publish() {
            final Instant now = Instant.now();
            final long tsMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
            final String frame = String.format(Locale.ROOT, "[{\"type\":\"quote\",\"symbol\":\"PLAIN\",\"seq\":%d,"
                + "\"ts\":%d,\"bid\":100.25,\"ask\":100.5}]", seq.incrementAndGet(), tsMicros);
            for (final WebSocketChannel channel : subscribed) {
                WebSockets.sendText(frame, channel, null);
            }
        }

        @Override
        public void close() {
            feed.shutdownNow();
            undertow.stop();
        }
    }

    /** Answers every upgrade with a 101 naming {@code ticker.v9.other}, which no client offered; 404 to the rest. */
    private static final class WrongSubprotocolServer implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        WrongSubprotocolServer() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::accept, "wrong-subprotocol-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "ws://127.0.0.1:" + socket.getLocalPort() + "/ws";
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    final Socket client = socket.accept();
                    final Thread handler = new Thread(() -> answer(client), "wrong-subprotocol-answer");
                    handler.setDaemon(true);
                    handler.start();
                } catch (final IOException e) {
                    return;
                }
            }
        }

        private static void answer(final Socket client) {
            try (client) {
                final BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.ISO_8859_1));
                String key = null;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                        key = line.substring(line.indexOf(':') + 1).trim();
                    }
                }
                final OutputStream reply = client.getOutputStream();
                if (key == null) {
                    reply.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                reply.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept(key) + "\r\nSec-WebSocket-Protocol: ticker.v9.other\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
                reply.flush();
                // hold the connection until the client gives up on it
                while (client.getInputStream().read() >= 0) {
                    continue;
                }
            } catch (final IOException e) {
                // the client closed first: nothing to do
            }
        }

        private static String accept(final String key) {
            try {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + RFC_6455_GUID).getBytes(StandardCharsets.ISO_8859_1)));
            } catch (final NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
