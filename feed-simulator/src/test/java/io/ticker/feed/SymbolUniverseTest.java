package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.FixedPoint;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SymbolUniverseTest {
    @Test
    void shouldGiveTenThousandUniquePlausibleTickersEachFoundByItsId() {
        final SymbolUniverse universe = SymbolUniverse.generate(10_000, 42);

        assertEquals(10_000, universe.size());
        final Set<String> seen = new HashSet<>();
        for (int id = 0; id < universe.size(); id++) {
            final String symbol = universe.symbol(id);
            assertTrue(seen.add(symbol), "duplicate " + symbol);
            assertTrue(symbol.matches("[A-Z.]{1,8}"), symbol);
            assertEquals(id, universe.idOf(symbol));
            assertArrayEquals(symbol.getBytes(StandardCharsets.US_ASCII), universe.symbolAscii(id));
            assertEquals(symbol, universe.symbols().get(id));
            final long price = universe.basePrice(id);
            assertTrue(price >= FixedPoint.fromDouble(2.0) && price <= FixedPoint.fromDouble(900.0),
                symbol + " at " + FixedPoint.toString(price));
        }
        assertEquals(-1, universe.idOf("NOPE.XX"));
        assertEquals(-1, universe.idOf(""));
        assertEquals(-1, universe.idOf(null));
    }

    @Test
    void shouldGiveGeneratedTickersOfThreeToFiveLetters() {
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_MAX, 7);
        final int wellKnown = SymbolUniverse.wellKnownTickers().size();

        for (int id = wellKnown; id < universe.size(); id++) {
            assertTrue(universe.symbol(id).matches("[A-Z]{3,5}"), universe.symbol(id));
        }
    }

    @Test
    void shouldStartWithWellKnownTickersBusiestFirst() {
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_DEFAULT, 42);
        final List<String> wellKnown = SymbolUniverse.wellKnownTickers();

        assertEquals(wellKnown, universe.symbols().subList(0, wellKnown.size()));
        assertEquals(new HashSet<>(wellKnown).size(), wellKnown.size(), "well-known tickers repeat");
        assertTrue(universe.idOf("AAPL") >= 0);
        assertEquals(FixedPoint.parse("189.90"), universe.basePrice(universe.idOf("AAPL")));
    }

    @Test
    void shouldBeTheSameForTheSameCountAndSeed() {
        final SymbolUniverse first = SymbolUniverse.generate(2_000, 42);
        final SymbolUniverse second = SymbolUniverse.generate(2_000, 42);

        assertEquals(first.symbols(), second.symbols());
        for (int id = 0; id < first.size(); id++) {
            assertEquals(first.basePrice(id), second.basePrice(id));
        }
    }

    @Test
    void shouldDifferForAnotherSeedBeyondTheWellKnownTickers() {
        final SymbolUniverse first = SymbolUniverse.generate(2_000, 42);
        final SymbolUniverse second = SymbolUniverse.generate(2_000, 43);

        assertNotEquals(first.symbols(), second.symbols());
    }

    @Test
    void shouldKeepIdsWhenTheCountGrows() {
        final SymbolUniverse small = SymbolUniverse.generate(300, 42);
        final SymbolUniverse large = SymbolUniverse.generate(3_000, 42);

        assertEquals(small.symbols(), large.symbols().subList(0, 300));
    }

    @Test
    void shouldGiveOneSymbolUniverse() {
        final SymbolUniverse universe = SymbolUniverse.generate(1, 42);

        assertEquals(1, universe.size());
        assertEquals(0, universe.idOf(universe.symbol(0)));
    }

    @Test
    void shouldRejectCountsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> SymbolUniverse.generate(0, 42));
        assertThrows(IllegalArgumentException.class,
            () -> SymbolUniverse.generate(SymbolUniverse.SYMBOLS_MAX + 1, 42));
    }

    @Test
    void shouldBuildAGivenUniverseAndRejectBadTickers() {
        final SymbolUniverse universe = SymbolUniverse.of(List.of("AAA", "B.B"), new long[] {10_000, 20_000});

        assertEquals(1, universe.idOf("B.B"));
        assertEquals(20_000, universe.basePrice(1));
        assertThrows(IllegalArgumentException.class,
            () -> SymbolUniverse.of(List.of("AAA", "AAA"), new long[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> SymbolUniverse.of(List.of("aa"), new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SymbolUniverse.of(List.of("ABCDEFGHI"), new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SymbolUniverse.of(List.of("A\"B"), new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SymbolUniverse.of(List.of("AB"), new long[] {0}));
        assertThrows(IllegalArgumentException.class, () -> SymbolUniverse.of(List.of("AB"), new long[] {1, 2}));
    }

    @Test
    void shouldFitEveryTickerInTheSymbolFieldOfABinaryQuoteRecord() {
        // ticker.v1.binary holds a symbol in 16 bytes; every universe, generated or given, is checked against this
        assertTrue(SymbolUniverse.SYMBOL_LENGTH_MAX <= BinaryRecords.SYMBOL_CAPACITY);
        final SymbolUniverse universe = SymbolUniverse.generate(SymbolUniverse.SYMBOLS_MAX, 42);
        for (int id = 0; id < universe.size(); id++) {
            final int length = universe.symbolAscii(id).length;
            assertTrue(length >= 1 && length <= SymbolUniverse.SYMBOL_LENGTH_MAX, universe.symbol(id));
        }
    }
}
