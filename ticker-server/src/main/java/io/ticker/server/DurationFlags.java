package io.ticker.server;

import java.time.Duration;

/** What the server's duration flags have in common: most must be positive, and the settings hold milliseconds. */
final class DurationFlags {
    private DurationFlags() {
    }

    static boolean positive(final Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    /** Whole milliseconds, at most {@link Integer#MAX_VALUE} (24 days): the settings' unit for timeouts. */
    static int millis(final Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
