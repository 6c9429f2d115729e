package io.ticker.server;

import io.ticker.protocol.FixedPoint;
import io.ticker.protocol.Quote;

/** Quotes for tests that publish into the ring themselves: the n-th quote of a symbol, stamped now. */
final class TestQuotes {
    private TestQuotes() {
    }

    /** Fills {@code quote} as update {@code n} of {@code symbolId} and returns it. */
    static Quote fill(final Quote quote, final int symbolId, final int n) {
        quote.symbolId = symbolId;
        quote.bid = FixedPoint.fromDouble(100) + n;
        quote.ask = quote.bid + 100;
        quote.last = quote.bid;
        quote.bidSize = 100;
        quote.askSize = 200;
        quote.lastSize = 10;
        quote.volume = n;
        quote.timestampMicros = System.currentTimeMillis() * 1000;
        return quote;
    }
}
