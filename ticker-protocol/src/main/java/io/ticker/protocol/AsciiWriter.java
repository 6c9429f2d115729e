package io.ticker.protocol;

/**
 * Writes numbers as ASCII into a caller's byte array and returns the index after the last byte written. Nothing here
 * allocates: this is what the per-update encoders are made of.
 */
public final class AsciiWriter {
    /** The longest text {@link #putLong} writes: a sign and 19 digits. */
    public static final int MAX_LONG_LENGTH = 20;

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        long power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private AsciiWriter() {
    }

    /** Writes {@code value} in decimal. */
    public static int putLong(final byte[] dst, final int offset, final long value) {
        if (value == Long.MIN_VALUE) {
            return putBytes(dst, offset, MIN_LONG);
        }
        int pos = offset;
        long v = value;
        if (v < 0) {
            dst[pos++] = '-';
            v = -v;
        }
        final int digits = digitCount(v);
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            final long next = v / 10;
            dst[i] = (byte) ('0' + (v - next * 10));
            v = next;
        }
        return end;
    }

    /**
     * Writes a fixed-point price ({@link FixedPoint}) with trailing fractional zeros dropped: {@code 189.12},
     * {@code 42}, {@code 0.0001}.
     */
    public static int putPrice(final byte[] dst, final int offset, final long fixed) {
        int pos = offset;
        long magnitude = fixed;
        if (fixed < 0) {
            dst[pos++] = '-';
            magnitude = -fixed;
        }
        final long integer = magnitude / FixedPoint.ONE;
        long fraction = magnitude - integer * FixedPoint.ONE;
        pos = putLong(dst, pos, integer);
        if (fraction != 0) {
            int digits = FixedPoint.SCALE_DIGITS;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            dst[pos++] = '.';
            for (int i = pos + digits - 1; i >= pos; i--) {
                dst[i] = (byte) ('0' + fraction % 10);
                fraction /= 10;
            }
            pos += digits;
        }
        return pos;
    }

    /** Copies {@code src} whole. */
    public static int putBytes(final byte[] dst, final int offset, final byte[] src) {
        System.arraycopy(src, 0, dst, offset, src.length);
        return offset + src.length;
    }

    static int digitCount(final long nonNegative) {
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && nonNegative >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        return digits;
    }

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(
        java.nio.charset.StandardCharsets.US_ASCII);
}
