package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.server.tls.ServerTls;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;

/**
 * Each IO thread runs the server's task (its shard's pending drain) before it takes on a new connection, so a drain
 * queued behind a burst of new connections waits for one connection's work, not all of theirs. Shown on the
 * production listener with a task and a route that record which thread ran them, in order: a burst of raw
 * connections, half of them reset as soon as their request is out, finds the task run for each connection before its
 * request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BeforeEachAcceptIT {
    private static final int CONNECTIONS = 400;

    private record Step(Thread thread, String what) {
    }

    @Test
    void shouldRunTheTaskOnTheIoThreadBeforeEachConnectionItTakesOn() throws Exception {
        final ServerConfig config = new ServerConfig().host("127.0.0.1").port(0).ioThreads(2);
        final XnioWorker worker = ServerAssembly.worker(config);
        final ConcurrentLinkedQueue<Step> steps = new ConcurrentLinkedQueue<>();
        final HttpHandler route = exchange -> {
            steps.add(new Step(Thread.currentThread(), "request"));
            exchange.getResponseSender().send("ok");
        };
        final Undertow undertow = ServerAssembly.listen(worker, config, route);
        try {
            assertTrue(BeforeEachAccept.install(undertow,
                () -> steps.add(new Step(Thread.currentThread(), "accept"))), "installed on this Undertow");
            final int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
            int answered = 0;
            for (int i = 0; i < CONNECTIONS; i++) {
                answered += request(port, i % 2 == 0) ? 1 : 0;
            }
            assertEquals(CONNECTIONS / 2, answered, "every connection that waited was answered");

            final Map<Thread, List<String>> byThread = new HashMap<>();
            for (final Step step : steps) {
                assertTrue(step.thread() instanceof XnioIoThread, step + " ran on an IO thread");
                byThread.computeIfAbsent(step.thread(), t -> new ArrayList<>()).add(step.what());
            }
            long requests = 0;
            long accepted = 0;
            for (final List<String> order : byThread.values()) {
                // A request whose bytes came after its accept is read later, maybe after the next accept: a request is
                // not always right after its own connection's task, but a thread never has more requests than tasks.
                int accepts = 0;
                int taken = 0;
                for (final String step : order) {
                    accepts += step.equals("accept") ? 1 : 0;
                    taken += step.equals("request") ? 1 : 0;
                    assertTrue(taken <= accepts, "a request before its connection's task: " + order);
                }
                requests += taken;
                accepted += accepts;
            }
            assertTrue(requests >= CONNECTIONS / 2, "requests handled: " + requests);
            assertTrue(accepted >= CONNECTIONS, "the task ran " + accepted + " times for " + CONNECTIONS
                + " connections");
        } finally {
            undertow.stop();
            worker.shutdown();
        }
    }

    @Test
    void shouldDrainBeforeAcceptsOnPlainAndTlsListeners() throws Exception {
        try (TickerServer plain = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(20));
             TickerServer tls = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(20)
                 .tls(ServerTls.selfSigned()))) {
            assertTrue(plain.drainsBeforeAccepts());
            assertTrue(tls.drainsBeforeAccepts());
        }
    }

    /**
     * One request on a connection of its own; with {@code reset}, the socket is reset as soon as the request is out,
     * as an upgrade-and-reset flood does. Returns whether a response was read.
     */
    private static boolean request(final int port, final boolean reset) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (reset) {
                socket.setSoLinger(true, 0);
                return false;
            }
            final InputStream in = socket.getInputStream();
            final byte[] status = in.readNBytes(12);
            return new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        }
    }
}
