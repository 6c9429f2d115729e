package io.ticker.server.socket;

import java.time.Instant;

/** Wall-clock microseconds since the epoch, the unit of the contract's {@code ts}. */
final class MicrosClock {
    private MicrosClock() {
    }

    static long nowMicros() {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
