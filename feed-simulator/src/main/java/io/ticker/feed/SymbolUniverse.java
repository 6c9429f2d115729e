package io.ticker.feed;

import java.util.List;

/**
 * The symbols a feed quotes: plausible tickers with base prices, each known by an int id from 0 to size() - 1.
 * Symbols become ids at the edges (feed start, subscribe) and stay ids inside.
 */
public final class SymbolUniverse {
    /** Symbols in the universe when none is asked for. */
    public static final int SYMBOLS_DEFAULT = 500;

    /** A universe of {@code count} symbols, the same for the same count and seed. */
    public static SymbolUniverse generate(final int count, final long seed) {
        throw new UnsupportedOperationException("TODO");
    }

    /** How many symbols. */
    public int size() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The ticker of symbol {@code id}. */
    public String symbol(final int id) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The ticker of symbol {@code id} as ASCII bytes: shared, never to be modified. */
    public byte[] symbolAscii(final int id) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The id of {@code symbol}, or -1 if it is not in the universe. */
    public int idOf(final String symbol) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The first price of symbol {@code id}, fixed-point. */
    public long basePrice(final int id) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Every ticker, in id order. */
    public List<String> symbols() {
        throw new UnsupportedOperationException("TODO");
    }
}
