package io.ticker.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link Quote} as one JSON {@code quote} event object into a caller's byte array, without allocating:
 * <pre>{"type":"quote","symbol":"AAPL","seq":1042,"bid":189.12,"bidSize":300,"ask":189.14,"askSize":200,
 * "last":189.13,"lastSize":100,"volume":1234500,"ts":1763800000123456}</pre>
 * The object is encoded once per update and its bytes shared by every subscriber; the per-subscriber extras
 * ({@code "snapshot":true}, {@code "conflated":N}, {@code "replayed":true}) are spliced in before the closing brace by
 * {@link #putWithSnapshot} and {@link #putWithConflated}.
 */
public final class QuoteJsonEncoder {
    /** The longest symbol the encoder accepts, in ASCII bytes. */
    public static final int MAX_SYMBOL_LENGTH = 16;
    /** An upper bound on one encoded quote object with the extras one quote can carry, for sizing buffers. */
    public static final int MAX_QUOTE_LENGTH = 384;

    private static final byte[] TYPE_AND_SYMBOL = ascii("{\"type\":\"quote\",\"symbol\":\"");
    private static final byte[] SEQ = ascii("\",\"seq\":");
    private static final byte[] BID = ascii(",\"bid\":");
    private static final byte[] BID_SIZE = ascii(",\"bidSize\":");
    private static final byte[] ASK = ascii(",\"ask\":");
    private static final byte[] ASK_SIZE = ascii(",\"askSize\":");
    private static final byte[] LAST = ascii(",\"last\":");
    private static final byte[] LAST_SIZE = ascii(",\"lastSize\":");
    private static final byte[] VOLUME = ascii(",\"volume\":");
    private static final byte[] TS = ascii(",\"ts\":");
    private static final byte[] SNAPSHOT = ascii(",\"snapshot\":true}");
    private static final byte[] CONFLATED = ascii(",\"conflated\":");
    private static final byte[] REPLAYED = ascii(",\"replayed\":true}");

    private QuoteJsonEncoder() {
    }

    /**
     * Writes the quote object at {@code offset}; {@code dst} must have {@link #MAX_QUOTE_LENGTH} bytes free there.
     *
     * @param symbolAscii the symbol's ticker as ASCII bytes, at most {@link #MAX_SYMBOL_LENGTH}, JSON-safe
     * @return the index after the closing brace
     */
    public static int encode(
        final byte[] dst, final int offset, final byte[] symbolAscii, final long seq, final Quote quote) {
        int pos = AsciiWriter.putBytes(dst, offset, TYPE_AND_SYMBOL);
        pos = AsciiWriter.putBytes(dst, pos, symbolAscii);
        pos = AsciiWriter.putBytes(dst, pos, SEQ);
        pos = AsciiWriter.putLong(dst, pos, seq);
        pos = AsciiWriter.putBytes(dst, pos, BID);
        pos = AsciiWriter.putPrice(dst, pos, quote.bid);
        pos = AsciiWriter.putBytes(dst, pos, BID_SIZE);
        pos = AsciiWriter.putLong(dst, pos, quote.bidSize);
        pos = AsciiWriter.putBytes(dst, pos, ASK);
        pos = AsciiWriter.putPrice(dst, pos, quote.ask);
        pos = AsciiWriter.putBytes(dst, pos, ASK_SIZE);
        pos = AsciiWriter.putLong(dst, pos, quote.askSize);
        pos = AsciiWriter.putBytes(dst, pos, LAST);
        pos = AsciiWriter.putPrice(dst, pos, quote.last);
        pos = AsciiWriter.putBytes(dst, pos, LAST_SIZE);
        pos = AsciiWriter.putLong(dst, pos, quote.lastSize);
        pos = AsciiWriter.putBytes(dst, pos, VOLUME);
        pos = AsciiWriter.putLong(dst, pos, quote.volume);
        pos = AsciiWriter.putBytes(dst, pos, TS);
        pos = AsciiWriter.putLong(dst, pos, quote.timestampMicros);
        dst[pos++] = '}';
        return pos;
    }

    /** Copies an encoded quote object and marks it {@code "snapshot":true}. */
    public static int putWithSnapshot(
        final byte[] dst, final int offset, final byte[] encoded, final int encodedOffset, final int encodedLength) {
        final int bodyLength = encodedLength - 1;
        System.arraycopy(encoded, encodedOffset, dst, offset, bodyLength);
        return AsciiWriter.putBytes(dst, offset + bodyLength, SNAPSHOT);
    }

    /**
     * Writes the quote object of an update replayed from the server's history, marked {@code "replayed":true}; as
     * {@link #encode}, which it calls. A replayed quote may also get {@code "conflated"} ({@link #putWithConflated}).
     */
    public static int encodeReplayed(
        final byte[] dst, final int offset, final byte[] symbolAscii, final long seq, final Quote quote) {
        final int end = encode(dst, offset, symbolAscii, seq, quote);
        return AsciiWriter.putBytes(dst, end - 1, REPLAYED);
    }

    /** Copies an encoded quote object and adds {@code "conflated":count}, the older updates it replaced. */
    public static int putWithConflated(
        final byte[] dst,
        final int offset,
        final byte[] encoded,
        final int encodedOffset,
        final int encodedLength,
        final long count) {
        final int bodyLength = encodedLength - 1;
        System.arraycopy(encoded, encodedOffset, dst, offset, bodyLength);
        int pos = AsciiWriter.putBytes(dst, offset + bodyLength, CONFLATED);
        pos = AsciiWriter.putLong(dst, pos, count);
        dst[pos++] = '}';
        return pos;
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
