package io.ticker.server.admission;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A log of events a client can cause at will (failed logins): at most one line per interval, the next line telling
 * how many were left out meanwhile, so a flood costs one line a second of disk and IO thread, not one per attempt.
 * Any thread.
 */
public final class ThrottledLog {
    /** At most one line per second. */
    public static final long INTERVAL_NANOS_DEFAULT = TimeUnit.SECONDS.toNanos(1);

    private final long intervalNanos;
    private final Consumer<String> sink;
    private long lastLineNanos;
    private boolean loggedAny;
    private long suppressed;

    public ThrottledLog(final long intervalNanos, final Consumer<String> sink) {
        this.intervalNanos = intervalNanos;
        this.sink = sink;
    }

    /** Standard error, one line per second. */
    public static ThrottledLog toStandardError() {
        return new ThrottledLog(INTERVAL_NANOS_DEFAULT, System.err::println);
    }

    /** Writes {@code line} unless a line went out less than an interval ago; then only counts it. */
    public void log(final long nowNanos, final String line) {
        final long left;
        synchronized (this) {
            if (loggedAny && nowNanos - lastLineNanos < intervalNanos) {
                suppressed++;
                return;
            }
            left = suppressed;
            suppressed = 0;
            loggedAny = true;
            lastLineNanos = nowNanos;
        }
        sink.accept(left == 0 ? line : line + " (and " + left + " more since the last such line, not logged)");
    }
}
