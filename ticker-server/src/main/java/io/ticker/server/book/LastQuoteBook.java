package io.ticker.server.book;

import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.QuoteJsonEncoder;

/**
 * The last quote of every symbol, kept encoded for both subprotocols (its JSON object and its binary record) so that
 * a snapshot is a copy, not an encode.
 * Each fan-out shard keeps its own book, updated as the shard takes each batch, so the snapshot a subscriber gets is
 * exactly the state before the next quote that shard delivers to it: no gap and no duplicate, with no lock between
 * the ring thread and the IO threads.
 */
public final class LastQuoteBook {
    private final byte[] quotes;
    private final byte[] records;
    private final int[] lengths;
    private final long[] seqs;

    /** A book for {@code symbolCount} symbols, every slot empty. */
    public LastQuoteBook(final int symbolCount) {
        quotes = new byte[symbolCount * QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        records = new byte[symbolCount * BinaryRecords.QUOTE_LENGTH];
        lengths = new int[symbolCount];
        seqs = new long[symbolCount];
    }

    /**
     * Records the newest quote of {@code symbolId}: its JSON object ({@code length} bytes of {@code encoded} from
     * {@code offset}) and its binary record ({@link BinaryRecords#QUOTE_LENGTH} bytes of {@code record} from
     * {@code recordOffset}).
     */
    public void put(
        final int symbolId,
        final long seq,
        final byte[] encoded,
        final int offset,
        final int length,
        final byte[] record,
        final int recordOffset) {
        System.arraycopy(encoded, offset, quotes, symbolId * QuoteJsonEncoder.MAX_QUOTE_LENGTH, length);
        System.arraycopy(record, recordOffset, records, symbolId * BinaryRecords.QUOTE_LENGTH,
            BinaryRecords.QUOTE_LENGTH);
        lengths[symbolId] = length;
        seqs[symbolId] = seq;
    }

    /** Empties every slot: the feed started a new session, and nothing of the old one may be served. */
    public void clear() {
        java.util.Arrays.fill(lengths, 0);
    }

    /** Whether {@code symbolId} has had a quote yet. */
    public boolean has(final int symbolId) {
        return lengths[symbolId] != 0;
    }

    /** The encoded bytes: the quote of {@code symbolId} starts at {@link #offset} and is {@link #length} long. */
    public byte[] bytes() {
        return quotes;
    }

    /** Where the quote of {@code symbolId} starts in {@link #bytes()}. */
    public int offset(final int symbolId) {
        return symbolId * QuoteJsonEncoder.MAX_QUOTE_LENGTH;
    }

    /** The encoded length of the quote of {@code symbolId}, 0 if none yet. */
    public int length(final int symbolId) {
        return lengths[symbolId];
    }

    /** The binary records: that of {@code symbolId} starts at {@link #recordOffset}, when {@link #has} it. */
    public byte[] records() {
        return records;
    }

    /** Where the binary record of {@code symbolId} starts in {@link #records()}. */
    public int recordOffset(final int symbolId) {
        return symbolId * BinaryRecords.QUOTE_LENGTH;
    }

    /** The seq of the last quote of {@code symbolId}. */
    public long seq(final int symbolId) {
        return seqs[symbolId];
    }
}
