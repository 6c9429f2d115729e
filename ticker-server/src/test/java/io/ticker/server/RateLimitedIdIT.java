package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@code RATE_LIMITED} error carries the refused command's {@code id} when it is readable, as every error does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitedIdIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shouldCarryTheIdOfEachCommandRefusedForTheRateLimit() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(10)
            .ratePerSecond(100).commandRatePerSecond(1).commandBurst(3));
             TickerClient client = TickerClient.connect(server.port())) {
            for (int i = 0; i < 6; i++) {
                client.send("{\"op\":\"ping\",\"id\":\"p" + i + "\"}");
            }
            client.send("{\"op\":\"ping\",\"id\":7}");
            client.send("not json at all");
            final List<Map<String, Object>> errors = new ArrayList<>();
            final List<Object> pongs = new ArrayList<>();
            final long deadline = System.nanoTime() + WAIT.toNanos();
            while (pongs.size() + errors.size() < 8 && System.nanoTime() < deadline) {
                final Map<String, Object> event = client.next(WAIT);
                if ("pong".equals(event.get("type"))) {
                    pongs.add(event.get("id"));
                } else if ("error".equals(event.get("type"))) {
                    assertEquals("RATE_LIMITED", event.get("code"), event.toString());
                    errors.add(event);
                }
            }
            assertEquals(List.of("p0", "p1", "p2"), pongs, "the burst is answered");
            assertEquals(5, errors.size(), "the rest is refused: " + errors);
            for (int i = 0; i < 3; i++) {
                assertEquals("p" + (i + 3), errors.get(i).get("id"), "the refused command's id: " + errors.get(i));
            }
            assertEquals(7, ((Number) errors.get(3).get("id")).intValue(), "a numeric id comes back as a number");
            assertFalse(errors.get(4).containsKey("id"), "no readable id, none in the error: " + errors.get(4));
            assertTrue(errors.get(4).get("message").toString().contains("commands per second"));
        }
    }
}
