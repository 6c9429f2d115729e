package io.ticker.loadgen.report;

import java.util.Locale;

/** Formats microsecond figures for people: {@code 412us}, {@code 2.10ms}, {@code 1.53s}. */
public final class Micros {
    private Micros() {
    }

    /** The value with a unit that keeps 3 significant digits; "-" for a negative (absent) value. */
    public static String text(final double micros) {
        if (micros < 0 || Double.isNaN(micros)) {
            return "-";
        }
        if (micros < 1_000) {
            return String.format(Locale.ROOT, "%.0fus", micros);
        }
        if (micros < 1_000_000) {
            final double ms = micros / 1_000;
            return String.format(Locale.ROOT, ms < 10 ? "%.2fms" : ms < 100 ? "%.1fms" : "%.0fms", ms);
        }
        return String.format(Locale.ROOT, "%.2fs", micros / 1_000_000);
    }
}
