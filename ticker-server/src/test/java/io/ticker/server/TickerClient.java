package io.ticker.server;

import static org.junit.jupiter.api.Assertions.fail;

import io.ticker.protocol.JsonParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client on the JDK's own WebSocket implementation (a third party to Undertow): each received frame is parsed
 * with the protocol's strict JSON parser, which also checks that every frame is an array of events.
 */
final class TickerClient implements WebSocket.Listener, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Added to every event: when its frame arrived, wall-clock micros, so a test can measure latency later. */
    static final String RECEIVED_MICROS = "_receivedMicros";

    private final BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private volatile int frames;
    private WebSocket webSocket;

    static TickerClient connect(final int port) {
        final TickerClient client = new TickerClient();
        client.webSocket = HTTP.newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
        return client;
    }

    void send(final String json) {
        webSocket.sendText(json, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The next event, failing the test if none arrives in time. */
    Map<String, Object> next(final Duration timeout) throws InterruptedException {
        final Map<String, Object> event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            fail("no event within " + timeout);
        }
        return event;
    }

    /** Skips events until one matches, failing the test if none does in time; returns it. */
    Map<String, Object> await(final Predicate<Map<String, Object>> match, final Duration timeout)
        throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long left = deadline - System.nanoTime();
            final Map<String, Object> event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                fail("no matching event within " + timeout);
            }
            if (match.test(event)) {
                return event;
            }
        }
    }

    /** Every event that arrives within {@code window}. */
    List<Map<String, Object>> collect(final Duration window) throws InterruptedException {
        final List<Map<String, Object>> collected = new ArrayList<>();
        final long deadline = System.nanoTime() + window.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            final Map<String, Object> event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event != null) {
                collected.add(event);
            }
        }
        return collected;
    }

    /** Events already received, without waiting. */
    List<Map<String, Object>> drain() {
        final List<Map<String, Object>> drained = new ArrayList<>();
        events.drainTo(drained);
        return drained;
    }

    int frames() {
        return frames;
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    int awaitClose(final Duration timeout) {
        return closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void onOpen(final WebSocket ws) {
        ws.request(Long.MAX_VALUE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            final long receivedMicros = System.currentTimeMillis() * 1000;
            final Object frame = JsonParser.parse(partial.toString());
            partial.setLength(0);
            frames++;
            for (final Object event : (List<Object>) frame) {
                final Map<String, Object> fields = (Map<String, Object>) event;
                fields.put(RECEIVED_MICROS, receivedMicros);
                events.add(fields);
            }
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(final WebSocket ws, final Throwable error) {
        closeCode.completeExceptionally(error);
    }

    @Override
    public void close() {
        if (!webSocket.isOutputClosed()) {
            webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null);
        }
        webSocket.abort();
    }
}
