package io.ticker.loadgen.report;

import java.util.Locale;

/** Durations and sizes as a person reads them: {@code 12s}, {@code 1m17s}, {@code 1h02m}, {@code 3.2 MB}. */
public final class HumanText {
    private static final long SECONDS_PER_MINUTE = 60;
    private static final long SECONDS_PER_HOUR = 3_600;
    private static final double BYTES_PER_MB = 1e6;

    private HumanText() {
    }

    /** Whole seconds as {@code 45s}, {@code 1m17s}, {@code 1h02m05s}; "-" for a negative value. */
    public static String seconds(final double seconds) {
        if (seconds < 0 || Double.isNaN(seconds)) {
            return "-";
        }
        if (seconds < 10 && seconds != Math.rint(seconds)) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        final long whole = Math.round(seconds);
        if (whole < SECONDS_PER_MINUTE) {
            return whole + "s";
        }
        if (whole < SECONDS_PER_HOUR) {
            final long rest = whole % SECONDS_PER_MINUTE;
            return whole / SECONDS_PER_MINUTE + "m" + (rest == 0 ? "" : String.format(Locale.ROOT, "%02ds", rest));
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", whole / SECONDS_PER_HOUR,
            whole % SECONDS_PER_HOUR / SECONDS_PER_MINUTE, whole % SECONDS_PER_MINUTE);
    }

    /** Nanoseconds as {@link #seconds(double)} does. */
    public static String nanos(final long nanos) {
        return seconds(nanos / 1e9);
    }

    /** Bytes in MB with the precision a reader needs. */
    public static String megabytes(final double bytes) {
        if (Double.isNaN(bytes)) {
            return "-";
        }
        final double mb = bytes / BYTES_PER_MB;
        return String.format(Locale.ROOT, mb >= 100 ? "%.0f MB" : mb >= 1 ? "%.1f MB" : "%.3f MB", mb);
    }
}
