import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A neutral cross-check of the load generator: subscribers on the JDK's own WebSocket client (java.net.http), not
 * the load generator's Netty stack, counting what they receive and its latency (receive time minus the quote's
 * {@code ts}). No seq tracking: delivered is received (plus reported conflated) over what a uniform feed of
 * {@code --rate} over the server's symbols should send to the subscriptions made.
 *
 *   java -cp load-generator/target/load-generator.jar scripts/probe/JdkWebSocketProbe.java \
 *       --url ws://127.0.0.1:18080/ws --connections 1000 --symbols-per-connection 10 --rate 5000 \
 *       --warmup 5 --duration 20
 *
 * Prints one line of JSON. Runs as a single source file (JDK 11+), HdrHistogram from the load generator's jar.
 */
public final class JdkWebSocketProbe {
    private static final Pattern NAME = Pattern.compile("\"([^\"]+)\"");
    private static final Recorder LATENCY = new Recorder(60_000_000L, 3);
    private static final AtomicLong QUOTES = new AtomicLong();
    private static final AtomicLong CONFLATED = new AtomicLong();
    private static final AtomicLong FRAMES = new AtomicLong();
    private static volatile boolean recording;

    public static void main(final String[] args) throws Exception {
        String url = "ws://127.0.0.1:18080/ws";
        int connections = 100;
        int perConnection = 10;
        double rate = 5000;
        int warmup = 5;
        int duration = 20;
        for (int i = 0; i < args.length; i += 2) {
            final String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--url" -> url = value;
                case "--connections" -> connections = Integer.parseInt(value);
                case "--symbols-per-connection" -> perConnection = Integer.parseInt(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                default -> {
                    System.err.println("unknown flag " + args[i]);
                    System.exit(2);
                }
            }
        }
        final URI ws = URI.create(url);
        final HttpClient client = HttpClient.newHttpClient();
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
            opening.add(client.newWebSocketBuilder().buildAsync(ws, new Listener()).thenApply(socket -> {
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
        LATENCY.reset();
        final long q0 = QUOTES.get();
        final long c0 = CONFLATED.get();
        final long f0 = FRAMES.get();
        final long t0 = System.nanoTime();
        recording = true;
        Thread.sleep(duration * 1000L);
        recording = false;
        final double seconds = (System.nanoTime() - t0) / 1e9;
        final long quotes = QUOTES.get() - q0;
        final long conflated = CONFLATED.get() - c0;
        final long frames = FRAMES.get() - f0;
        final Histogram h = LATENCY.getIntervalHistogram();
        final double expected = rate * connections * Math.min(perConnection, symbols.size()) / symbols.size();
        System.out.printf(
            "{\"url\":\"%s\",\"connections\":%d,\"quotesPerSecond\":%.0f,\"expectedPerSecond\":%.0f,"
                + "\"delivered\":%.4f,\"framesPerSecond\":%.0f,\"quotesPerFrame\":%.2f,\"p50Ms\":%.2f,"
                + "\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"maxMs\":%.2f}%n",
            url, connections, quotes / seconds, expected, (quotes + conflated) / seconds / expected,
            frames / seconds, frames == 0 ? 0.0 : (double) quotes / frames, h.getValueAtPercentile(50) / 1e3,
            h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
        System.exit(0);
    }

    /** One subscriber: counts every live quote of each complete text message and records its latency. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last) {
            final long now = nowMicros();
            final CharSequence message;
            if (!last || partial.length() > 0) {
                partial.append(data);
                message = last ? partial.toString() : null;
                if (last) {
                    partial.setLength(0);
                }
            } else {
                message = data;
            }
            if (message != null && recording) {
                count(message.toString(), now);
            }
            socket.request(1);
            return null;
        }

        private static void count(final String message, final long now) {
            int quotes = 0;
            for (int at = message.indexOf("\"type\":\"quote\""); at >= 0;
                 at = message.indexOf("\"type\":\"quote\"", at + 14)) {
                final int end = message.indexOf('}', at);
                final int snapshot = message.indexOf("\"snapshot\":true", at);
                if (snapshot >= 0 && snapshot < end) {
                    continue;
                }
                quotes++;
                final int ts = message.indexOf("\"ts\":", at);
                if (ts >= 0 && ts < end) {
                    LATENCY.recordValue(Math.max(0, now - number(message, ts + 5)));
                }
                final int conflated = message.indexOf("\"conflated\":", at);
                if (conflated >= 0 && conflated < end) {
                    CONFLATED.addAndGet(number(message, conflated + 12));
                }
            }
            if (quotes > 0) {
                QUOTES.addAndGet(quotes);
                FRAMES.incrementAndGet();
            }
        }

        private static long number(final String s, final int from) {
            long value = 0;
            for (int i = from; i < s.length(); i++) {
                final char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }

    private static long nowMicros() {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
