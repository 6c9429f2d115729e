import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A neutral cross-check of the load generator: subscribers on the JDK's own WebSocket client (java.net.http), not
 * the load generator's Netty stack, counting what they receive and its latency (receive time minus the quote's
 * {@code ts}). No seq tracking: delivered is received (plus reported conflated) over what a uniform feed of
 * {@code --rate} over the server's symbols should send to the subscriptions made.
 *
 *   java -cp load-generator/target/load-generator.jar scripts/probe/JdkWebSocketProbe.java \
 *       --url ws://127.0.0.1:18080/ws --connections 1000 --symbols-per-connection 10 --rate 5000 \
 *       --warmup 5 --duration 20 [--threads 0] [--clients 1]
 *   java -cp load-generator/target/load-generator.jar scripts/probe/JdkWebSocketProbe.java --self-test
 *
 * With {@code --clients 2} the connections alternate between two HttpClients, each with its own selector thread (at S1
 * against ours: busiest thread 0.46-0.51 of a core against 0.73-0.76 with one, process 1.14-1.25 cores against
 * 0.99-1.00, p50 2.2-13.4 ms against 15.8-16.5).
 * By default all connections share one HttpClient: its one selector thread reads every socket and, with
 * {@code --threads 0}, runs the listeners itself; otherwise they run on a fixed pool of that many threads (the
 * client's default, a
 * cached pool, grew to 45-86 threads at 1,000 connections and handed every read over to another thread). Each
 * listener scans the text as it comes, across the calls of a frame split with last=false, for what it counts (no
 * JSON parse, no copy of the frame). Prints one line of JSON, with the probe's own CPU and its busiest thread's
 * over the window: near 1.0 for that thread, or near the machine's cores for the process, the probe is measuring
 * itself. Runs as a single source file (JDK 11+), HdrHistogram from the load generator's jar.
 */
public final class JdkWebSocketProbe {
    private static final Pattern NAME = Pattern.compile("\"([^\"]+)\"");
    private static final Recorder LATENCY = new Recorder(60_000_000L, 3);
    private static final LongAdder QUOTES = new LongAdder();
    private static final LongAdder CONFLATED = new LongAdder();
    private static final LongAdder FRAMES = new LongAdder();
    private static volatile boolean recording;

    public static void main(final String[] args) throws Exception {
        String url = "ws://127.0.0.1:18080/ws";
        int connections = 100;
        int perConnection = 10;
        double rate = 5000;
        int warmup = 5;
        int duration = 20;
        int threads = 0;
        int clients = 1;
        for (int i = 0; i < args.length; i += 2) {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--url" -> url = value;
                case "--connections" -> connections = Integer.parseInt(value);
                case "--symbols-per-connection" -> perConnection = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--self-test" -> {
                    System.exit(QuoteScanner.selfTest() ? 0 : 1);
                }
                default -> {
                    System.err.println("unknown flag " + args[i]);
                    System.exit(2);
                }
            }
        }
        final URI ws = URI.create(url);
        final Executor executor = threads == 0 ? Runnable::run : Executors.newFixedThreadPool(threads, r -> {
            final Thread t = new Thread(r, "probe-listener");
            t.setDaemon(true);
            return t;
        });
        // HTTP/1.1: the default, HTTP/2, sends /api/symbols with "Upgrade: h2c", which the Node peers' WebSocket
        // servers take for a failed WebSocket upgrade and answer by closing the connection.
        final HttpClient[] pool = new HttpClient[clients];
        for (int i = 0; i < clients; i++) {
            pool[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
        }
        final HttpClient client = pool[0];
        final URI symbolsUri = URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/api/symbols");
        final String body = client.send(HttpRequest.newBuilder(symbolsUri).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        final List<String> symbols = new ArrayList<>();
        final Matcher m = NAME.matcher(body);
        while (m.find()) {
            symbols.add(m.group(1));
        }
        final Random random = new Random(42);
        final List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            final List<String> mine = new ArrayList<>(symbols);
            Collections.shuffle(mine, random);
            final String subscribe = perConnection == 0 ? null : "{\"op\":\"subscribe\",\"symbols\":[\""
                + String.join("\",\"", mine.subList(0, Math.min(perConnection, mine.size()))) + "\"]}";
            opening.add(pool[c % clients].newWebSocketBuilder().buildAsync(ws, new Listener()).thenApply(socket -> {
                if (subscribe != null) {
                    socket.sendText(subscribe, true);
                }
                return socket;
            }));
            if (c % 200 == 199) {
                CompletableFuture.allOf(opening.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(opening.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        Thread.sleep(warmup * 1000L);
        final CpuClock cpu = new CpuClock();
        LATENCY.reset();
        final long q0 = QUOTES.sum();
        final long c0 = CONFLATED.sum();
        final long f0 = FRAMES.sum();
        final long t0 = System.nanoTime();
        recording = true;
        Thread.sleep(duration * 1000L);
        recording = false;
        final double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.stop(seconds);
        final long quotes = QUOTES.sum() - q0;
        final long conflated = CONFLATED.sum() - c0;
        final long frames = FRAMES.sum() - f0;
        final Histogram h = LATENCY.getIntervalHistogram();
        final double expected = rate * connections * Math.min(perConnection, symbols.size()) / symbols.size();
        System.out.printf(
            "{\"url\":\"%s\",\"connections\":%d,\"threads\":%d,\"quotesPerSecond\":%.0f,\"expectedPerSecond\":%.0f,"
                + "\"delivered\":%.4f,\"framesPerSecond\":%.0f,\"quotesPerFrame\":%.2f,\"p50Ms\":%.2f,"
                + "\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"maxMs\":%.2f,\"probeCores\":%.3f,\"busiestThread\":\"%s\","
                + "\"busiestThreadCores\":%.3f}%n",
            url, connections, threads, quotes / seconds, expected, (quotes + conflated) / seconds / expected,
            frames / seconds, frames == 0 ? 0.0 : (double) quotes / frames, h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
            cpu.processCores, cpu.busiestThread, cpu.busiestThreadCores);
        System.exit(0);
    }

    /** The probe's own CPU over the window, in cores: the whole process and its busiest thread (its headroom). */
    private static final class CpuClock {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final long process0 = os.getProcessCpuTime();
        private final Map<Long, Long> thread0 = new HashMap<>();
        double processCores;
        String busiestThread = "-";
        double busiestThreadCores;

        CpuClock() {
            for (final long id : threads.getAllThreadIds()) {
                thread0.put(id, threads.getThreadCpuTime(id));
            }
        }

        void stop(final double seconds) {
            processCores = (os.getProcessCpuTime() - process0) / 1e9 / seconds;
            for (final long id : threads.getAllThreadIds()) {
                final long now = threads.getThreadCpuTime(id);
                final double cores = (now - thread0.getOrDefault(id, 0L)) / 1e9 / seconds;
                if (now >= 0 && cores > busiestThreadCores) {
                    busiestThreadCores = cores;
                    busiestThread = threads.getThreadInfo(id).getThreadName();
                }
            }
        }
    }

    /** One subscriber: asks for every message up front and hands each part of a text message to its scanner. */
    private static final class Listener implements WebSocket.Listener {
        private final QuoteScanner scanner = new QuoteScanner();

        @Override
        public void onOpen(final WebSocket socket) {
            socket.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last) {
            scanner.scan(data, last, nowMicros());
            return null;
        }
    }

    /**
     * Counts the live quotes of one connection's text messages as their characters arrive, in any split: a quote is
     * an object with {@code "type":"quote"}; its {@code "ts"} gives the latency, {@code "conflated":N} adds N to
     * delivered, {@code "snapshot":true} leaves it out. The server's JSON has no spaces and no braces in strings.
     */
    static final class QuoteScanner {
        private static final char[] TYPE_QUOTE = "\"type\":\"quote\"".toCharArray();
        private static final char[] TS = "\"ts\":".toCharArray();
        private static final char[] SNAPSHOT = "\"snapshot\":true".toCharArray();
        private static final char[] CONFLATED_KEY = "\"conflated\":".toCharArray();
        private static final int NONE = 0;
        private static final int IN_TS = 1;
        private static final int IN_CONFLATED = 2;

        private int typeAt;
        private int tsAt;
        private int snapshotAt;
        private int conflatedAt;
        private int number = NONE;
        private boolean quote;
        private boolean snapshot;
        private long ts = -1;
        private long conflated;
        private int quotesInMessage;

        void scan(final CharSequence data, final boolean last, final long nowMicros) {
            final int n = data.length();
            for (int i = 0; i < n; i++) {
                final char c = data.charAt(i);
                if (number != NONE) {
                    if (c >= '0' && c <= '9') {
                        if (number == IN_TS) {
                            ts = ts * 10 + (c - '0');
                        } else {
                            conflated = conflated * 10 + (c - '0');
                        }
                        continue;
                    }
                    number = NONE;
                }
                if (c == '}') {
                    endObject(nowMicros);
                    continue;
                }
                typeAt = step(TYPE_QUOTE, typeAt, c);
                if (typeAt == TYPE_QUOTE.length) {
                    quote = true;
                    typeAt = 0;
                }
                tsAt = step(TS, tsAt, c);
                if (tsAt == TS.length) {
                    number = IN_TS;
                    ts = 0;
                    tsAt = 0;
                }
                snapshotAt = step(SNAPSHOT, snapshotAt, c);
                if (snapshotAt == SNAPSHOT.length) {
                    snapshot = true;
                    snapshotAt = 0;
                }
                conflatedAt = step(CONFLATED_KEY, conflatedAt, c);
                if (conflatedAt == CONFLATED_KEY.length) {
                    number = IN_CONFLATED;
                    conflated = 0;
                    conflatedAt = 0;
                }
            }
            if (last) {
                if (quotesInMessage > 0 && recording) {
                    QUOTES.add(quotesInMessage);
                    FRAMES.increment();
                }
                quotesInMessage = 0;
            }
        }

        /** The next match position of a pattern whose only self-overlap is its leading quote mark. */
        private static int step(final char[] pattern, final int at, final char c) {
            if (pattern[at] == c) {
                return at + 1;
            }
            return c == pattern[0] ? 1 : 0;
        }

        private void endObject(final long nowMicros) {
            if (quote && !snapshot) {
                quotesInMessage++;
                if (recording) {
                    if (ts >= 0) {
                        LATENCY.recordValue(Math.max(0, nowMicros - ts));
                    }
                    if (conflated > 0) {
                        CONFLATED.add(conflated);
                    }
                }
            }
            quote = false;
            snapshot = false;
            ts = -1;
            conflated = 0;
            number = NONE;
            typeAt = 0;
            tsAt = 0;
            snapshotAt = 0;
            conflatedAt = 0;
        }

        /** Splits a frame of a snapshot, a live and a conflated quote at every pair of places: each split must count
         * the same two live quotes, conflated 3 and both latencies. */
        static boolean selfTest() {
            final String frame = "[{\"type\":\"quote\",\"symbol\":\"AB\",\"seq\":1,\"bid\":1.5,\"ts\":900,"
                + "\"snapshot\":true},{\"type\":\"quote\",\"symbol\":\"AB\",\"seq\":2,\"bid\":1.5,\"ts\":1000},"
                + "{\"type\":\"quote\",\"symbol\":\"CD\",\"seq\":7,\"ts\":1990,\"conflated\":3}]";
            recording = true;
            boolean ok = true;
            for (int a = 0; a <= frame.length() && ok; a++) {
                for (int b = a; b <= frame.length() && ok; b++) {
                    LATENCY.reset();
                    final long q0 = QUOTES.sum();
                    final long c0 = CONFLATED.sum();
                    final long f0 = FRAMES.sum();
                    final QuoteScanner s = new QuoteScanner();
                    s.scan(frame.substring(0, a), false, 2000);
                    s.scan(frame.substring(a, b), false, 2000);
                    s.scan(frame.substring(b), true, 2000);
                    s.scan("{\"type\":\"subscribed\",\"symbols\":[\"AB\"]}", true, 2000);
                    final Histogram h = LATENCY.getIntervalHistogram();
                    ok = QUOTES.sum() - q0 == 2 && CONFLATED.sum() - c0 == 3 && FRAMES.sum() - f0 == 1
                        && h.getTotalCount() == 2 && h.getMinValue() == 10 && h.getMaxValue() == 1000;
                    if (!ok) {
                        System.err.println("self-test failed at split " + a + "," + b);
                    }
                }
            }
            System.err.println(ok ? "self-test passed" : "self-test FAILED");
            return ok;
        }
    }

    private static long nowMicros() {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
