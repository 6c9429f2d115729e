package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FixedPointTest {
    @Test
    void shouldPrintPricesWithoutBinaryFloatingPointNoise() {
        assertEquals("189.12", FixedPoint.toString(1_891_200));
        assertEquals("0.1", FixedPoint.toString(1_000));
        assertEquals("0.0001", FixedPoint.toString(1));
        assertEquals("42", FixedPoint.toString(420_000));
        assertEquals("0", FixedPoint.toString(0));
        assertEquals("-3.5", FixedPoint.toString(-35_000));
        assertEquals("1.0003", FixedPoint.toString(10_003));
        // 0.1 + 0.2 in doubles is 0.30000000000000004; in fixed point it is exact.
        assertEquals("0.3", FixedPoint.toString(FixedPoint.fromDouble(0.1) + FixedPoint.fromDouble(0.2)));
    }

    @Test
    void shouldRoundTripEveryTickOfARangeThroughText() {
        for (long fixed = -20_000; fixed <= 20_000; fixed++) {
            assertEquals(fixed, FixedPoint.parse(FixedPoint.toString(fixed)), "tick " + fixed);
        }
    }

    @Test
    void shouldRejectMoreThanFourDecimalsAndGarbage() {
        assertThrows(NumberFormatException.class, () -> FixedPoint.parse("1.00001"));
        assertThrows(NumberFormatException.class, () -> FixedPoint.parse("1."));
        assertThrows(NumberFormatException.class, () -> FixedPoint.parse(".5"));
        assertThrows(NumberFormatException.class, () -> FixedPoint.parse("1e3"));
        assertThrows(NumberFormatException.class, () -> FixedPoint.parse(""));
    }

    @Test
    void shouldWriteLongsLikeLongToString() {
        final byte[] buffer = new byte[AsciiWriter.MAX_LONG_LENGTH];
        for (final long value : new long[] {0, 7, -7, 10, 99, 100, 1_763_800_000_123_456L, Long.MAX_VALUE,
            Long.MIN_VALUE, -1_000_000_000_000L}) {
            final int end = AsciiWriter.putLong(buffer, 0, value);
            assertEquals(Long.toString(value), new String(buffer, 0, end, java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
