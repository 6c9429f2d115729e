package io.ticker.protocol;

/**
 * Prices are fixed-point longs with four decimal places inside every component ({@code 189.12} is {@code 1891200}),
 * so that no price is ever printed as {@code 189.12000000000001}. Conversion to text happens only in the codec.
 */
public final class FixedPoint {
    /** Decimal places carried by a fixed-point price. */
    public static final int SCALE_DIGITS = 4;
    /** The fixed-point value of 1.0. */
    public static final long ONE = 10_000L;

    private FixedPoint() {
    }

    /** The nearest fixed-point value of a price given as a double; for configuration and tests, not the hot path. */
    public static long fromDouble(final double price) {
        return Math.round(price * ONE);
    }

    /** The price as a double; for display and tests, not the hot path. */
    public static double toDouble(final long fixed) {
        return fixed / (double) ONE;
    }

    /**
     * Parses a JSON number with at most four fractional digits exactly, without going through a double.
     *
     * @throws NumberFormatException if the text is not such a number
     */
    public static long parse(final CharSequence text) {
        final int length = text.length();
        if (length == 0) {
            throw new NumberFormatException("empty price");
        }
        int i = 0;
        final boolean negative = text.charAt(0) == '-';
        if (negative) {
            i++;
        }
        long integer = 0;
        int integerDigits = 0;
        while (i < length && text.charAt(i) != '.') {
            integer = Math.addExact(Math.multiplyExact(integer, 10), digit(text, i));
            integerDigits++;
            i++;
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < length) {
            i++;
            while (i < length) {
                if (fractionDigits == SCALE_DIGITS) {
                    throw new NumberFormatException("more than " + SCALE_DIGITS + " fractional digits: " + text);
                }
                fraction = fraction * 10 + digit(text, i);
                fractionDigits++;
                i++;
            }
            if (fractionDigits == 0) {
                throw new NumberFormatException("no digits after the point: " + text);
            }
        }
        if (integerDigits == 0) {
            throw new NumberFormatException("no integer digits: " + text);
        }
        for (int d = fractionDigits; d < SCALE_DIGITS; d++) {
            fraction *= 10;
        }
        final long value = Math.addExact(Math.multiplyExact(integer, ONE), fraction);
        return negative ? -value : value;
    }

    /** The price as text, as the codec writes it: {@code 189.1}, {@code 189.12}, {@code 0.0001}, {@code 42}. */
    public static String toString(final long fixed) {
        final byte[] buffer = new byte[24];
        final int end = AsciiWriter.putPrice(buffer, 0, fixed);
        return new String(buffer, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int digit(final CharSequence text, final int index) {
        final char c = text.charAt(index);
        if (c < '0' || c > '9') {
            throw new NumberFormatException("not a digit at " + index + ": " + text);
        }
        return c - '0';
    }
}
