package io.ticker.loadgen.settings;

import java.util.Locale;

/**
 * How subscribers' symbols are drawn from the server's list, which is ordered busiest first: {@code uniform}, or
 * {@code zipf:S} where rank r (0-based) has weight 1/(r+1)^S, so busy symbols get more subscribers, as on a real
 * venue.
 *
 * @param zipfExponent 0 for uniform
 */
public record SymbolSkew(double zipfExponent) {
    /** Every symbol equally likely. */
    public static final SymbolSkew UNIFORM = new SymbolSkew(0);

    /**
     * Parses {@code uniform} or {@code zipf:S} (S &gt;= 0; {@code zipf} alone means 1.0).
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static SymbolSkew parse(final String text) {
        final String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if ("uniform".equals(trimmed)) {
            return UNIFORM;
        }
        if ("zipf".equals(trimmed)) {
            return new SymbolSkew(1.0);
        }
        if (trimmed.startsWith("zipf:")) {
            try {
                final double exponent = Double.parseDouble(trimmed.substring(5));
                if (exponent >= 0 && !Double.isInfinite(exponent)) {
                    return new SymbolSkew(exponent);
                }
            } catch (final NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a skew; use uniform or zipf:S (e.g. zipf:1.0)");
    }

    @Override
    public String toString() {
        return zipfExponent == 0 ? "uniform" : "zipf:" + zipfExponent;
    }
}
