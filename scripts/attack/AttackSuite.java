import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hostile clients against a running ticker server, one case at a time, with a healthy subscriber beside them whose
 * quote latency (now minus the quote's feed timestamp, same machine) is recorded during each case. After each case
 * the server's connections, file descriptors and heap after a GC are read back. Prints a Markdown table; exits 1 if a
 * case did not end as expected. Run by scripts/attack.sh, which starts the server; JDK only, no dependencies:
 * {@code java scripts/attack/AttackSuite.java PORT SERVER_PID}.
 */
public final class AttackSuite {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final long P99_LIMIT_MS = 100;
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private final int port;
    private final long pid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> rows = new ArrayList<>();
    private boolean allPassed = true;
    private HealthyClient healthy;
    private long baselineFds;

    private AttackSuite(final int port, final long pid) {
        this.port = port;
        this.pid = pid;
    }

    public static void main(final String[] args) throws Exception {
        final AttackSuite suite = new AttackSuite(Integer.parseInt(args[0]), Long.parseLong(args[1]));
        System.exit(suite.run() ? 0 : 1);
    }

    /** Whether case {@code number} (1-based) is to run: all, or those listed in ATTACK_CASES (e.g. "1,2"). */
    private static boolean selected(final int number) {
        final String only = System.getenv("ATTACK_CASES");
        return only == null || only.isBlank() || Arrays.asList(only.split(",")).contains(Integer.toString(number));
    }

    private int caseNumber;

    private boolean run() throws Exception {
        final List<String> symbols = symbols();
        healthy = HealthyClient.start(port, symbols.subList(0, 20));
        Thread.sleep(2_000);
        gc();
        baselineFds = fds();
        System.out.printf("baseline: %s%n", resources());
        rows.add("| case | expected | observed | as expected | healthy client's p99 during (ms) | p99 < 100 ms "
            + "| connections / fds (vs baseline) / heap after GC |");
        rows.add("|---|---|---|---|---|---|---|");

        runCase("no attack (control: the healthy client alone for 5 s)", "nothing", () -> {
            Thread.sleep(5_000);
            return new Outcome("nothing", true);
        });
        runCase("2,000 upgrade + immediate TCP reset", "0 connections counted after", this::upgradeReset);
        runCase("300 non-reading `list` flooders (50 each, 154 KB per answer)",
            "each closed (1008, reset if it does not read); server answers /health; heap bounded", this::listFlood);
        runCase("100 connections x 20 commands with `1e2147483648`", "2,000 BAD_REQUEST answers", this::exponent);
        runCase("endless empty continuation fragments", "close 1009 (--max-fragments)", this::emptyFragments);
        runCase("endless messages of 10 empty fragments", "close 1008 (--inbound-frame-rate)",
            this::fragmentedMessages);
        runCase("unsolicited pong flood", "close 1008 (--inbound-frame-rate)", this::pongFlood);
        runCase("ping flood", "close 1008 (--inbound-frame-rate) or dropped", this::pingFlood);
        runCase("50 connections subscribe `*` (20,000 symbols)",
            "50 SUBSCRIPTION_LIMIT (`*` counts as 20,000 > --max-subscriptions 10,000)", this::firehose);
        healthy.close();

        System.out.println();
        rows.forEach(System.out::println);
        System.out.printf("%nmachine load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        return allPassed;
    }

    @FunctionalInterface
    private interface Case {
        /** Runs the attack; returns what was observed and whether it is what was expected. */
        Outcome attack() throws Exception;
    }

    private record Outcome(String observed, boolean expected) {
    }

    private void runCase(final String name, final String expected, final Case attack) throws Exception {
        if (!selected(++caseNumber)) {
            return;
        }
        System.out.printf("%s: %s ...%n", Instant.now(), name);
        healthy.resetLatencies();
        final long start = System.nanoTime();
        Outcome outcome;
        try {
            outcome = attack.attack();
        } catch (final Exception e) {
            outcome = new Outcome("attack failed: " + e, false);
        }
        final long p99Ms = healthy.p99Micros() / 1_000;
        final long quotes = healthy.latencyCount();
        final boolean settled = awaitSettled();
        final String after = resources();
        final boolean healthyOk = quotes > 0 && p99Ms < P99_LIMIT_MS && healthy.alive();
        final boolean asExpected = outcome.expected() && settled;
        allPassed &= asExpected && healthyOk;
        rows.add(String.format("| %s | %s | %s | %s | %d (%d quotes) | %s | %s |", name, expected,
            outcome.observed() + (settled ? "" : "; did not return to 1 connection and 0 queued bytes"),
            asExpected ? "yes" : "NO", p99Ms, quotes, healthyOk ? "yes" : "NO", after));
        System.out.printf("  %s, healthy p99 %d ms over %d quotes, %.1f s, after: %s -> %s%n", outcome.observed(),
            p99Ms, quotes, (System.nanoTime() - start) / 1e9, after, asExpected && healthyOk ? "pass" : "FAIL");
    }

    // ---- the cases ----

    private Outcome upgradeReset() throws Exception {
        final byte[] request = upgrade().getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 2_000; i++) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.getOutputStream().write(request);
                socket.setSoLinger(true, 0);
            }
        }
        awaitSettled();
        final long counted = metric("ticker_connections") - 1;
        return new Outcome(counted + " connections counted after (besides the healthy client)", counted == 0);
    }

    private Outcome listFlood() throws Exception {
        final long closedBefore = metric("ticker_queue_limit_closed_total");
        final List<RawSocket> flooders = new ArrayList<>();
        final List<Long> healthMillis = new ArrayList<>();
        int healthOk = 0;
        try {
            for (int c = 0; c < 300; c++) {
                final RawSocket flooder = RawSocket.open(port, 4096);
                flooders.add(flooder);
                for (int i = 0; i < 50; i++) {
                    flooder.sendText("{\"op\":\"list\"}");
                }
                if (c % 30 == 29) {
                    final long t = System.nanoTime();
                    healthOk += health() == 200 ? 1 : 0;
                    healthMillis.add((System.nanoTime() - t) / 1_000_000);
                }
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                final long t = System.nanoTime();
                healthOk += health() == 200 ? 1 : 0;
                healthMillis.add((System.nanoTime() - t) / 1_000_000);
                Thread.sleep(500);
            }
        } finally {
            flooders.forEach(RawSocket::closeQuietly);
        }
        final long closed = metric("ticker_queue_limit_closed_total") - closedBefore;
        final long slowestHealth = healthMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
        return new Outcome(String.format("%d of 300 closed for queued output; /health 200 on %d of %d tries "
            + "(slowest %d ms)", closed, healthOk, healthMillis.size(), slowestHealth),
            closed > 0 && healthOk == healthMillis.size());
    }

    private Outcome exponent() throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(20);
        final AtomicInteger badRequests = new AtomicInteger();
        final List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            done.add(pool.submit(() -> {
                try (RawSocket ws = RawSocket.open(port, 0)) {
                    for (int i = 0; i < 20; i++) {
                        ws.sendText("{\"op\":\"ping\",\"id\":1e2147483648}");
                        if (ws.readText().contains("\"BAD_REQUEST\"")) {
                            badRequests.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (final Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return new Outcome(badRequests.get() + " BAD_REQUEST answers", badRequests.get() == 2_000);
    }

    private Outcome emptyFragments() throws Exception {
        try (RawSocket ws = RawSocket.open(port, 0)) {
            ws.sendFrame(0x1, new byte[0], false);
            final int code = floodUntilClosed(ws, () -> ws.sendFrame(0x0, new byte[0], false));
            return new Outcome(closeText(code), code == 1009);
        }
    }

    private Outcome fragmentedMessages() throws Exception {
        try (RawSocket ws = RawSocket.open(port, 0)) {
            final int code = floodUntilClosed(ws, () -> {
                ws.sendFrame(0x1, new byte[0], false);
                for (int i = 0; i < 10; i++) {
                    ws.sendFrame(0x0, new byte[0], false);
                }
                ws.sendFrame(0x0, "{}".getBytes(StandardCharsets.US_ASCII), true);
            });
            return new Outcome(closeText(code), code == 1008);
        }
    }

    private Outcome pongFlood() throws Exception {
        try (RawSocket ws = RawSocket.open(port, 0)) {
            final int code = floodUntilClosed(ws, () -> ws.sendFrame(0xA, new byte[125], true));
            return new Outcome(closeText(code), code == 1008);
        }
    }

    private Outcome pingFlood() throws Exception {
        try (RawSocket ws = RawSocket.open(port, 0)) {
            final int code = floodUntilClosed(ws, () -> ws.sendFrame(0x9, new byte[125], true));
            return new Outcome(closeText(code), code == 1008 || code == -1);
        }
    }

    private Outcome firehose() throws Exception {
        int limited = 0;
        final List<RawSocket> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 50; c++) {
                final RawSocket ws = RawSocket.open(port, 0);
                clients.add(ws);
                ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
                limited += ws.readText().contains("\"SUBSCRIPTION_LIMIT\"") ? 1 : 0;
            }
        } finally {
            clients.forEach(RawSocket::closeQuietly);
        }
        return new Outcome(limited + " SUBSCRIPTION_LIMIT; firehose subscribers now "
            + metric("ticker_firehose_subscribers"), limited == 50);
    }

    // ---- helpers ----

    @FunctionalInterface
    private interface Sender {
        void send() throws IOException;
    }

    /** Repeats {@code send} for up to 20 s until the server's close frame arrives; its code, or -1 on EOF/reset. */
    private static int floodUntilClosed(final RawSocket ws, final Sender send) throws InterruptedException {
        final AtomicInteger code = new AtomicInteger();
        final Thread reader = new Thread(() -> code.set(ws.readUntilClose()));
        reader.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (code.get() == 0 && System.nanoTime() < deadline) {
                send.send();
            }
        } catch (final IOException e) {
            // cut off while sending; the reader has the close code, if one came
        }
        reader.join(10_000);
        return code.get() == 0 ? 0 : code.get();
    }

    private static String closeText(final int code) {
        return code == -1 ? "connection dropped without a close frame" : code == 0 ? "still open after 20 s"
            : "close " + code;
    }

    /** Waits until the server counts only the healthy client and holds no queued output. */
    private boolean awaitSettled() throws Exception {
        final long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            if (metric("ticker_connections") == 1 && metric("ticker_queued_bytes") == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private String resources() throws Exception {
        gc();
        final long heapMiB = metric("jvm_memory_used_bytes{area=\"heap\"}") / (1024 * 1024);
        return String.format("%d / %d (%+d) / %d MiB", metric("ticker_connections"), fds(), fds() - baselineFds,
            heapMiB);
    }

    private void gc() throws Exception {
        new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }

    private long fds() {
        final String[] list = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
        return list == null ? -1 : list.length;
    }

    private long metric(final String name) throws Exception {
        final String body = get("/metrics").body();
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no metric " + name);
        }
        return (long) Double.parseDouble(m.group(1));
    }

    private int health() throws Exception {
        return get("/health").statusCode();
    }

    private HttpResponse<String> get(final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> symbols() throws Exception {
        final Matcher m = Pattern.compile("\"([A-Z0-9.]+)\"").matcher(get("/api/symbols").body());
        final List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private String upgrade() {
        return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n\r\n";
    }

    /** A subscriber that reads everything and records each quote's age on arrival. */
    private static final class HealthyClient implements AutoCloseable {
        private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");
        private final RawSocket ws;
        private final Thread reader;
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private volatile boolean running = true;
        private volatile boolean failed;

        private HealthyClient(final RawSocket ws) {
            this.ws = ws;
            this.reader = new Thread(this::read, "healthy-client");
        }

        static HealthyClient start(final int port, final List<String> symbols) throws IOException {
            final HealthyClient client = new HealthyClient(RawSocket.open(port, 0));
            client.ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"" + String.join("\",\"", symbols) + "\"]}");
            client.reader.setDaemon(true);
            client.reader.start();
            return client;
        }

        private void read() {
            try {
                while (running) {
                    final RawSocket.Frame frame = ws.readFrame();
                    if (frame == null || frame.opcode() == 0x8) {
                        failed = true;
                        return;
                    }
                    if (frame.opcode() == 0x9) {
                        ws.sendFrame(0xA, frame.payload(), true);
                        continue;
                    }
                    if (frame.opcode() != 0x1) {
                        continue;
                    }
                    final Instant now = Instant.now();
                    final long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
                    final String text = new String(frame.payload(), StandardCharsets.UTF_8);
                    if (text.contains("\"snapshot\":true")) {
                        // the last quote of a symbol, as old as it is: not a delivery latency
                        continue;
                    }
                    final Matcher m = TS.matcher(text);
                    while (m.find()) {
                        latencies.add(Math.max(0, nowMicros - Long.parseLong(m.group(1))));
                    }
                }
            } catch (final IOException e) {
                if (running) {
                    failed = true;
                }
            }
        }

        void resetLatencies() {
            latencies.clear();
        }

        long latencyCount() {
            return latencies.size();
        }

        long p99Micros() {
            final long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
        }

        boolean alive() {
            return !failed;
        }

        @Override
        public void close() {
            running = false;
            ws.closeQuietly();
        }
    }

    /** RFC 6455 by hand on a blocking socket: masked frames out, raw frames in. */
    private static final class RawSocket implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final Random mask = new Random(1);

        private RawSocket(final Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static RawSocket open(final int port, final int receiveBufferBytes) throws IOException {
            final Socket socket = new Socket();
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + KEY + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            final InputStream input = socket.getInputStream();
            final String status = line(input);
            while (!line(input).isEmpty()) {
                // headers
            }
            if (!status.contains(" 101 ")) {
                socket.close();
                throw new IOException("upgrade refused: " + status);
            }
            return new RawSocket(socket);
        }

        void sendText(final String text) throws IOException {
            sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
        }

        synchronized void sendFrame(final int opcode, final byte[] payload, final boolean fin) throws IOException {
            final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            }
            final byte[] key = new byte[4];
            mask.nextBytes(key);
            frame.write(key, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ key[i & 3]);
            }
            out.write(frame.toByteArray());
            out.flush();
        }

        record Frame(int opcode, byte[] payload) {
        }

        Frame readFrame() throws IOException {
            final int first = in.read();
            if (first < 0) {
                return null;
            }
            final int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            final byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(first & 0x0F, payload);
        }

        String readText() throws IOException {
            while (true) {
                final Frame frame = readFrame();
                if (frame == null || frame.opcode() == 0x8) {
                    throw new EOFException("closed");
                }
                if (frame.opcode() == 0x1) {
                    return new String(frame.payload(), StandardCharsets.UTF_8);
                }
            }
        }

        int readUntilClose() {
            try {
                while (true) {
                    final Frame frame = readFrame();
                    if (frame == null) {
                        return -1;
                    }
                    if (frame.opcode() == 0x8) {
                        final byte[] p = frame.payload();
                        return p.length >= 2 ? ((p[0] & 0xFF) << 8) | (p[1] & 0xFF) : 1005;
                    }
                }
            } catch (final IOException e) {
                return -1;
            }
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (final IOException e) {
                // closing anyway
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }

        private static String line(final InputStream input) throws IOException {
            final StringBuilder line = new StringBuilder();
            int c;
            while ((c = input.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (c == -1 && line.length() == 0) {
                throw new EOFException("closed during the handshake");
            }
            return line.toString();
        }
    }
}
