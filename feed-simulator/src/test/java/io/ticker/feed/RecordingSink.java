package io.ticker.feed;

import io.ticker.protocol.Quote;

/** Copies every quote it gets into preallocated columns, so a test can compare runs field by field. */
final class RecordingSink implements QuoteSink {
    final int[] symbolIds;
    final long[] bids;
    final long[] bidSizes;
    final long[] asks;
    final long[] askSizes;
    final long[] lasts;
    final long[] lastSizes;
    final long[] volumes;
    final long[] timestamps;
    int count;

    RecordingSink(final int capacity) {
        symbolIds = new int[capacity];
        bids = new long[capacity];
        bidSizes = new long[capacity];
        asks = new long[capacity];
        askSizes = new long[capacity];
        lasts = new long[capacity];
        lastSizes = new long[capacity];
        volumes = new long[capacity];
        timestamps = new long[capacity];
    }

    @Override
    public void onQuote(final Quote quote) {
        final int i = count++;
        symbolIds[i] = quote.symbolId;
        bids[i] = quote.bid;
        bidSizes[i] = quote.bidSize;
        asks[i] = quote.ask;
        askSizes[i] = quote.askSize;
        lasts[i] = quote.last;
        lastSizes[i] = quote.lastSize;
        volumes[i] = quote.volume;
        timestamps[i] = quote.timestampMicros;
    }
}
