package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection that never sends a command holds a slot for nothing: it is closed after --idle-timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleConnectionIT {
    @Test
    void shouldClose1008AConnectionThatSendsNoCommandAndKeepOneThatDoes() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(100)
            .symbols(10).idleTimeoutMs(1_000))) {
            final ResourceBaseline baseline = ResourceBaseline.of(server);
            try (RawWebSocket idle = RawWebSocket.connect(server.port());
                 RawWebSocket active = RawWebSocket.connect(server.port())) {
                active.sendText("{\"op\":\"ping\",\"id\":\"here\"}");
                assertTrue(active.readText().contains("\"here\""));
                final long start = System.nanoTime();
                assertEquals(1008, idle.readUntilClose(), "closed for sending no command");
                final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(elapsedMs < 10_000, "about the timeout, took " + elapsedMs + " ms");
                SlowConsumerIT.waitUntil(() -> server.connections() == 1, Duration.ofSeconds(10));
                active.sendText("{\"op\":\"ping\",\"id\":\"still-here\"}");
                assertTrue(active.readText().contains("\"still-here\""), "a client that sent a command stays");
            }
            baseline.assertRestored(Duration.ofSeconds(10));
        }
    }
}
