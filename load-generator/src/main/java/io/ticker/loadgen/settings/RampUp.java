package io.ticker.loadgen.settings;

import io.ticker.protocol.DurationText;
import java.time.Duration;
import java.util.Locale;

/**
 * How fast connections are opened: {@code 500/s} (connects per second) or a duration ({@code 10s}: spread evenly
 * over it; {@code 0s}: all at once).
 *
 * @param perSecond connects per second, or 0 when given as a duration
 * @param over the duration to spread connects over, or null when given as a rate
 */
public record RampUp(double perSecond, Duration over) {
    /**
     * Parses {@code N/s} or a duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static RampUp parse(final String text) {
        final String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.endsWith("/s")) {
            final double rate;
            try {
                rate = Double.parseDouble(trimmed.substring(0, trimmed.length() - 2).trim());
            } catch (final NumberFormatException e) {
                throw invalid(text);
            }
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw invalid(text);
            }
            return new RampUp(rate, null);
        }
        try {
            return new RampUp(0, DurationText.parse(trimmed));
        } catch (final IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    /** Connects per second for {@code connections} connections (infinite when all at once). */
    public double ratePerSecond(final int connections) {
        if (over == null) {
            return perSecond;
        }
        final double seconds = over.toNanos() / 1e9;
        return seconds <= 0 ? Double.POSITIVE_INFINITY : connections / seconds;
    }

    @Override
    public String toString() {
        return over == null ? (perSecond == Math.rint(perSecond) ? (long) perSecond + "/s" : perSecond + "/s")
            : DurationText.format(over);
    }

    private static IllegalArgumentException invalid(final String text) {
        return new IllegalArgumentException("'" + text + "' is neither a rate like 500/s nor a duration like 10s");
    }
}
