package io.ticker.server.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldWriteAtMostOneLinePerIntervalAndCountWhatItLeftOut() {
        final List<String> lines = new ArrayList<>();
        final ThrottledLog log = new ThrottledLog(SECOND, lines::add);
        log.log(0, "a");
        for (int i = 1; i <= 500; i++) {
            log.log(i * 1_000_000L, "b");
        }
        log.log(SECOND + 1, "c");
        log.log(SECOND + 2, "d");
        log.log(3 * SECOND, "e");
        assertEquals(List.of("a", "c (and 500 more since the last such line, not logged)",
            "e (and 1 more since the last such line, not logged)"), lines);
    }

    @Test
    void shouldThrottleFailedTokensPerAddressAndForgetAnAddressOnceItsBucketIsFull() throws Exception {
        final List<String> lines = new ArrayList<>();
        final AuthFailureLimiter limiter = new AuthFailureLimiter(1, 2, new ThrottledLog(SECOND, lines::add));
        final java.net.InetAddress guesser = java.net.InetAddress.getByName("192.0.2.1");
        final java.net.InetAddress other = java.net.InetAddress.getByName("192.0.2.2");
        assertEquals(false, limiter.throttles(guesser, 0));
        limiter.failed(guesser, 0);
        limiter.failed(guesser, 1);
        assertEquals(true, limiter.throttles(guesser, 2), "burst of 2 spent");
        assertEquals(false, limiter.throttles(other, 2), "per address");
        assertEquals(true, limiter.throttles(guesser, SECOND / 2));
        assertEquals(false, limiter.throttles(guesser, SECOND + 1), "one refilled after a second at 1/s");
        assertEquals(2, limiter.failures());
        assertEquals(2, limiter.throttled());
        assertEquals(List.of("ticker-server: refused a WebSocket upgrade from 192.0.2.1: missing or invalid token"),
            lines);
        limiter.sweep(3 * SECOND);
        assertEquals(false, limiter.throttles(guesser, 3 * SECOND));
    }
}
