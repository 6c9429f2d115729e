package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --drain-timeout} is how long a client that never answers close 1001 keeps its connection on a graceful
 * stop, below and above the 2 s a client gets to answer any other close.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DrainTimeoutIT {
    /** Housekeeping runs every 250 ms, and the machine is shared: what "on time" allows after the deadline. */
    private static final long LATE_ALLOWANCE_MS = 1_500;
    /** A clock step and the close frame's own travel: what "on time" allows before it. */
    private static final long EARLY_ALLOWANCE_MS = 100;

    @Test
    void shouldHoldAClientThatNeverAnswersForOneSecond() throws Exception {
        assertDroppedAfterTheDrainTimeout(1_000);
    }

    @Test
    void shouldHoldAClientThatNeverAnswersForFourSeconds() throws Exception {
        assertDroppedAfterTheDrainTimeout(4_000);
    }

    @Test
    void shouldHoldAClientThatNeverAnswersForEightSeconds() throws Exception {
        assertDroppedAfterTheDrainTimeout(8_000);
    }

    private static void assertDroppedAfterTheDrainTimeout(final int drainTimeoutMs) throws Exception {
        final TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .symbols(10).ratePerSecond(100).drainTimeoutMs(drainTimeoutMs));
        try (RawWebSocket silent = RawWebSocket.connect(server.port())) {
            silent.setReadTimeoutMillis(drainTimeoutMs + 10_000);
            final long startNanos = System.nanoTime();
            final CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::drainAndStop);
            assertEquals(1001, silent.readUntilClose(), "close 1001 on a graceful stop");
            // never answered: read on until the server drops the connection
            readUntilDropped(silent);
            final long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            assertTrue(heldMs >= drainTimeoutMs - EARLY_ALLOWANCE_MS,
                "dropped after " + heldMs + " ms, before the drain timeout of " + drainTimeoutMs + " ms");
            assertTrue(heldMs <= drainTimeoutMs + LATE_ALLOWANCE_MS,
                "dropped after " + heldMs + " ms, long past the drain timeout of " + drainTimeoutMs + " ms");
            stopping.get(drainTimeoutMs + 10_000, TimeUnit.MILLISECONDS);
        } finally {
            server.close();
        }
    }

    private static void readUntilDropped(final RawWebSocket ws) throws IOException {
        try {
            while (ws.readFrame() != null) {
                // nothing more should come; whatever does is not answered either
            }
        } catch (final SocketException | java.io.EOFException e) {
            // a reset is a drop too
        }
    }
}
