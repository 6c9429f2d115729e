package io.ticker.protocol;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations as people type them on a command line: {@code 250us}, {@code 500ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, a bare number of seconds, or ISO-8601 ({@code PT30S}). Every CLI of the project registers
 * {@link #parse} as its converter so that all flags read the same way.
 */
public final class DurationText {
    private DurationText() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(final String text) {
        final String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw invalid(text);
        }
        if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
            try {
                return nonNegative(Duration.parse(trimmed), text);
            } catch (final DateTimeParseException e) {
                throw invalid(text);
            }
        }
        int unitStart = 0;
        while (unitStart < trimmed.length()
            && (Character.isDigit(trimmed.charAt(unitStart)) || trimmed.charAt(unitStart) == '.')) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw invalid(text);
        }
        final double amount;
        try {
            amount = Double.parseDouble(trimmed.substring(0, unitStart));
        } catch (final NumberFormatException e) {
            throw invalid(text);
        }
        final String unit = trimmed.substring(unitStart).trim().toLowerCase(java.util.Locale.ROOT);
        final double nanosPerUnit = switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "", "s", "sec" -> 1e9;
            case "m", "min" -> 60e9;
            case "h" -> 3600e9;
            default -> throw invalid(text);
        };
        return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    }

    /** The duration in the shortest of the forms {@link #parse} reads: {@code 30s}, {@code 500ms}. */
    public static String format(final Duration duration) {
        final long nanos = duration.toNanos();
        if (nanos % 3_600_000_000_000L == 0 && nanos != 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0 && nanos != 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }

    private static Duration nonNegative(final Duration duration, final String text) {
        if (duration.isNegative()) {
            throw invalid(text);
        }
        return duration;
    }

    private static IllegalArgumentException invalid(final String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 500ms, 30s, 2m, 1h or PT30S");
    }
}
