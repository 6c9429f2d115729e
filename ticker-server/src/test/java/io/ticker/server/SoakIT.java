package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.DurationText;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The soak: a server under steady feed load with client churn and faults mixed in for {@code -Dsoak.duration}
 * (default 60s), sampling heap after GC, threads, file descriptors and subscriptions; at the end everything must be
 * flat. Not part of the default run: {@code ./mvnw -Psoak -pl ticker-server -am verify -Dsoak.duration=10m}.
 */
class SoakIT {
    private static final long HEAP_GROWTH_LIMIT_BYTES = 32L * 1024 * 1024;
    /** After the soak's duration: closing every client, the last samples and the checks. */
    private static final Duration WIND_DOWN_BOUND = Duration.ofMinutes(2);

    @Test
    void shouldStayFlatUnderChurnAndFaults() {
        final Duration duration = DurationText.parse(System.getProperty("soak.duration", "60s"));
        // the soak's length is a setting, so its bound follows it rather than a fixed @Timeout
        assertTimeoutPreemptively(duration.plus(WIND_DOWN_BOUND), () -> soak(duration));
    }

    private static void soak(final Duration duration) throws Exception {
        final SplittableRandom random = new SplittableRandom(11);
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(5000).symbols(500).pingIntervalMs(1000).stallTimeoutMs(3000))) {
            final Deque<TickerClient> clients = new ArrayDeque<>();
            final List<Sample> samples = new ArrayList<>();
            final Sample baseline = Sample.take(server, "start");
            samples.add(baseline);
            final long end = System.nanoTime() + duration.toNanos();
            long nextSample = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long faults = 0;
            while (System.nanoTime() < end) {
                churn(server, clients, random);
                faults += fault(server, random);
                Thread.sleep(100);
                if (System.nanoTime() >= nextSample) {
                    samples.add(Sample.take(server, "t+" + (samples.size() * 10) + "s"));
                    nextSample += Duration.ofSeconds(10).toNanos();
                }
            }
            while (!clients.isEmpty()) {
                clients.poll().close();
            }
            SlowConsumerIT.waitUntil(() -> server.connections() == 0, Duration.ofSeconds(20));
            final Sample last = Sample.take(server, "end");
            samples.add(last);
            System.out.printf("soak %s, %d faults injected%n%-8s %12s %8s %6s %14s%n", DurationText.format(duration),
                faults, "when", "heap(MB)", "threads", "fds", "subscriptions");
            for (final Sample sample : samples) {
                System.out.printf("%-8s %12.1f %8d %6d %14d%n", sample.label, sample.heapBytes / 1048576.0,
                    sample.threads, sample.fileDescriptors, sample.subscriptions);
            }
            assertEquals(0, last.subscriptions, "every subscription released");
            assertTrue(last.heapBytes < baseline.heapBytes + HEAP_GROWTH_LIMIT_BYTES,
                "heap after GC flat: " + baseline.heapBytes + " -> " + last.heapBytes);
            assertTrue(last.threads <= baseline.threads + 8, "threads flat: " + baseline.threads + " -> "
                + last.threads);
            assertTrue(last.fileDescriptors <= baseline.fileDescriptors + 16, "file descriptors flat: "
                + baseline.fileDescriptors + " -> " + last.fileDescriptors);
        }
    }

    /** Opens a few clients on random symbols and closes the oldest, keeping about 200 open. */
    private static void churn(final TickerServer server, final Deque<TickerClient> clients,
        final SplittableRandom random) {
        for (int i = 0; i < 5; i++) {
            final TickerClient client = TickerClient.connect(server.port());
            final StringBuilder symbols = new StringBuilder();
            for (int s = 0; s < 10; s++) {
                symbols.append(s == 0 ? "\"" : ",\"").append(server.universe().symbol(random.nextInt(500))).append('"');
            }
            client.send("{\"op\":\"subscribe\",\"symbols\":[" + symbols + "]}");
            clients.add(client);
        }
        while (clients.size() > 200) {
            clients.poll().close();
        }
        for (final TickerClient client : clients) {
            client.drain();
        }
    }

    /** Now and then one fault: a reset mid-frame, a stalled firehose reader, a bad command, a ping burst. */
    private static int fault(final TickerServer server, final SplittableRandom random) {
        if (random.nextInt(4) != 0) {
            return 0;
        }
        try {
            final RawWebSocket ws = RawWebSocket.connect(server.port(), 4096);
            switch (random.nextInt(4)) {
                case 0 -> ws.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 50), 1, 2, 3, 4, 'x'});
                case 1 -> {
                    // Left open and unread: the stall timeout must close it and free what it held.
                    ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                    return 1;
                }
                case 2 -> ws.sendText("{\"op\":\"subscribe\",\"symbols\":[42]}");
                default -> {
                    for (int i = 0; i < 50; i++) {
                        ws.sendFrame(RawWebSocket.OP_PING, new byte[8], true);
                    }
                }
            }
            ws.reset();
        } catch (final IOException e) {
            // A fault that itself failed is still a fault the server saw.
        }
        return 1;
    }

    /** Live threads, less the test clients' own (the JDK HttpClient's pool grows and shrinks as it likes). */
    private static int serverThreads() {
        int count = 0;
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && !thread.getName().startsWith("HttpClient-")) {
                count++;
            }
        }
        return count;
    }

    private record Sample(String label, long heapBytes, int threads, int fileDescriptors, long subscriptions) {
        static Sample take(final TickerServer server, final String label) {
            System.gc();
            final String[] fds = new File("/proc/self/fd").list();
            return new Sample(label, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                serverThreads(), fds == null ? -1 : fds.length, server.subscriptions());
        }
    }
}
