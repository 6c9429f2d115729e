package io.ticker.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Writes {@code ticker.v1.binary} records ({@link BinaryRecords}) into a caller's byte array, without allocating.
 *
 * <p>As with {@link QuoteJsonEncoder}, a quote is encoded once per update and its 104 bytes shared by every
 * subscriber; the per-subscriber differences are set on a copy: {@link #putWithSnapshot} sets the snapshot flag,
 * {@link #putWithConflated} fills the conflated count. A fixed layout makes both a copy plus one store, where JSON
 * has to splice text before the closing brace.
 */
public final class QuoteBinaryEncoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private QuoteBinaryEncoder() {
    }

    /**
     * Writes the quote record of {@code quote} with {@code seq} at {@code offset}; {@code dst} must have
     * {@link BinaryRecords#QUOTE_LENGTH} bytes free there. Not a snapshot, nothing conflated.
     *
     * @param symbolAscii the symbol's ticker as ASCII bytes, 1 to {@link BinaryRecords#SYMBOL_CAPACITY} of them
     * @return the index after the record
     * @throws IllegalArgumentException if the symbol is empty or longer than the record holds
     */
    public static int encode(
        final byte[] dst, final int offset, final byte[] symbolAscii, final long seq, final Quote quote) {
        final int symbolLength = symbolAscii.length;
        if (symbolLength == 0 || symbolLength > BinaryRecords.SYMBOL_CAPACITY) {
            throw badSymbol(symbolAscii);
        }
        INT.set(dst, offset + BinaryRecords.LENGTH_OFFSET, BinaryRecords.QUOTE_LENGTH);
        dst[offset + BinaryRecords.TYPE_OFFSET] = BinaryRecords.TYPE_QUOTE;
        dst[offset + BinaryRecords.FLAGS_OFFSET] = 0;
        dst[offset + BinaryRecords.SYMBOL_LENGTH_OFFSET] = (byte) symbolLength;
        dst[offset + BinaryRecords.RESERVED_OFFSET] = 0;
        // zero the whole field first: the padding after the symbol is part of the contract
        LONG.set(dst, offset + BinaryRecords.SYMBOL_OFFSET, 0L);
        LONG.set(dst, offset + BinaryRecords.SYMBOL_OFFSET + Long.BYTES, 0L);
        System.arraycopy(symbolAscii, 0, dst, offset + BinaryRecords.SYMBOL_OFFSET, symbolLength);
        LONG.set(dst, offset + BinaryRecords.SEQ_OFFSET, seq);
        LONG.set(dst, offset + BinaryRecords.TIMESTAMP_OFFSET, quote.timestampMicros);
        LONG.set(dst, offset + BinaryRecords.BID_OFFSET, quote.bid);
        LONG.set(dst, offset + BinaryRecords.ASK_OFFSET, quote.ask);
        LONG.set(dst, offset + BinaryRecords.LAST_OFFSET, quote.last);
        LONG.set(dst, offset + BinaryRecords.BID_SIZE_OFFSET, quote.bidSize);
        LONG.set(dst, offset + BinaryRecords.ASK_SIZE_OFFSET, quote.askSize);
        LONG.set(dst, offset + BinaryRecords.LAST_SIZE_OFFSET, quote.lastSize);
        LONG.set(dst, offset + BinaryRecords.VOLUME_OFFSET, quote.volume);
        LONG.set(dst, offset + BinaryRecords.CONFLATED_OFFSET, 0L);
        return offset + BinaryRecords.QUOTE_LENGTH;
    }

    /**
     * Copies the quote record at {@code encodedOffset} of {@code encoded} to {@code offset} of {@code dst} and sets
     * its snapshot flag.
     *
     * @return the index after the copy
     */
    public static int putWithSnapshot(
        final byte[] dst, final int offset, final byte[] encoded, final int encodedOffset) {
        System.arraycopy(encoded, encodedOffset, dst, offset, BinaryRecords.QUOTE_LENGTH);
        dst[offset + BinaryRecords.FLAGS_OFFSET] |= BinaryRecords.FLAG_SNAPSHOT;
        return offset + BinaryRecords.QUOTE_LENGTH;
    }

    /**
     * Copies the quote record at {@code encodedOffset} of {@code encoded} to {@code offset} of {@code dst} and sets
     * its replayed flag.
     *
     * @return the index after the copy
     */
    public static int putWithReplayed(
        final byte[] dst, final int offset, final byte[] encoded, final int encodedOffset) {
        System.arraycopy(encoded, encodedOffset, dst, offset, BinaryRecords.QUOTE_LENGTH);
        dst[offset + BinaryRecords.FLAGS_OFFSET] |= BinaryRecords.FLAG_REPLAYED;
        return offset + BinaryRecords.QUOTE_LENGTH;
    }

    /**
     * Copies the quote record at {@code encodedOffset} of {@code encoded} to {@code offset} of {@code dst} with its
     * conflated count set to {@code count}, the older updates it replaced.
     *
     * @return the index after the copy
     */
    public static int putWithConflated(
        final byte[] dst, final int offset, final byte[] encoded, final int encodedOffset, final long count) {
        System.arraycopy(encoded, encodedOffset, dst, offset, BinaryRecords.QUOTE_LENGTH);
        LONG.set(dst, offset + BinaryRecords.CONFLATED_OFFSET, count);
        return offset + BinaryRecords.QUOTE_LENGTH;
    }

    /**
     * Writes an event record holding {@code jsonLength} bytes of {@code json} from {@code jsonOffset}: one UTF-8 JSON
     * event object, exactly as the JSON subprotocol would put it in its array. {@code dst} must have
     * {@link BinaryRecords#eventLength}{@code (jsonLength)} bytes free at {@code offset}.
     *
     * @return the index after the record
     */
    public static int putEvent(
        final byte[] dst, final int offset, final byte[] json, final int jsonOffset, final int jsonLength) {
        final int length = BinaryRecords.eventLength(jsonLength);
        INT.set(dst, offset + BinaryRecords.LENGTH_OFFSET, length);
        dst[offset + BinaryRecords.TYPE_OFFSET] = BinaryRecords.TYPE_EVENT;
        dst[offset + BinaryRecords.FLAGS_OFFSET] = 0;
        dst[offset + BinaryRecords.SYMBOL_LENGTH_OFFSET] = 0;
        dst[offset + BinaryRecords.RESERVED_OFFSET] = 0;
        System.arraycopy(json, jsonOffset, dst, offset + BinaryRecords.EVENT_JSON_OFFSET, jsonLength);
        return offset + length;
    }

    private static IllegalArgumentException badSymbol(final byte[] symbolAscii) {
        return new IllegalArgumentException("a binary quote record holds a symbol of 1-" + BinaryRecords.SYMBOL_CAPACITY
            + " ASCII bytes, not " + symbolAscii.length + ": "
            + new String(symbolAscii, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
