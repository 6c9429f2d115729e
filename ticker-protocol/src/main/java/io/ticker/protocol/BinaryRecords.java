package io.ticker.protocol;

/**
 * The record layout of the {@code ticker.v1.binary} subprotocol: every server message on such a connection is one
 * binary WebSocket frame of one or more records back to back, all integers little-endian. A record opens with an
 * 8-byte header (length of the whole record, type, flags, symbol length, a reserved zero) and its body follows.
 * {@link QuoteBinaryEncoder} writes records, {@link BinaryRecordReader} reads them; {@code docs/PROTOCOL.md} is the
 * same layout in prose, and {@code QuoteBinaryEncoderTest} pins it byte for byte.
 */
public final class BinaryRecords {
    /** Bytes in the header that opens every record. */
    public static final int HEADER_LENGTH = 8;
    /** Bytes in every quote record, header included. */
    public static final int QUOTE_LENGTH = 104;

    /** Record type: one quote, fixed length {@link #QUOTE_LENGTH}. */
    public static final byte TYPE_QUOTE = 1;
    /** Record type: one non-quote event as its UTF-8 JSON object, the one the JSON subprotocol would send. */
    public static final byte TYPE_EVENT = 2;

    /** Quote flag, bit 0: the quote is the snapshot sent right after {@code subscribed}. */
    public static final int FLAG_SNAPSHOT = 1;
    /**
     * Quote flag, bit 1: the quote is replayed from the server's history after a {@code subscribe} with {@code since}
     * that the server recovered ({@code "replayed":true} in JSON).
     */
    public static final int FLAG_REPLAYED = 2;

    /** u32: bytes in the record, header included. */
    public static final int LENGTH_OFFSET = 0;
    /** u8: {@link #TYPE_QUOTE} or {@link #TYPE_EVENT}. */
    public static final int TYPE_OFFSET = 4;
    /** u8: for quotes {@link #FLAG_SNAPSHOT} and {@link #FLAG_REPLAYED}; zero for events. */
    public static final int FLAGS_OFFSET = 5;
    /** u8: for quotes the meaningful bytes of the symbol field; zero for events. */
    public static final int SYMBOL_LENGTH_OFFSET = 6;
    /** u8: zero. */
    public static final int RESERVED_OFFSET = 7;

    /** Quote: the symbol in ASCII, {@link #SYMBOL_CAPACITY} bytes, zero-padded after the symbol length. */
    public static final int SYMBOL_OFFSET = 8;
    /** Quote: the longest symbol a record holds, in ASCII bytes. */
    public static final int SYMBOL_CAPACITY = 16;
    /** Quote, i64: the seq the server's sequencer gave the update. */
    public static final int SEQ_OFFSET = 24;
    /** Quote, i64: when the feed made the update, microseconds since the Unix epoch. */
    public static final int TIMESTAMP_OFFSET = 32;
    /** Quote, i64: best bid, fixed-point ({@link FixedPoint}: 189.12 is 1891200). */
    public static final int BID_OFFSET = 40;
    /** Quote, i64: best ask, fixed-point. */
    public static final int ASK_OFFSET = 48;
    /** Quote, i64: last trade price, fixed-point. */
    public static final int LAST_OFFSET = 56;
    /** Quote, i64: shares bid at the best bid. */
    public static final int BID_SIZE_OFFSET = 64;
    /** Quote, i64: shares offered at the best ask. */
    public static final int ASK_SIZE_OFFSET = 72;
    /** Quote, i64: shares in the last trade. */
    public static final int LAST_SIZE_OFFSET = 80;
    /** Quote, i64: shares traded in the session so far. */
    public static final int VOLUME_OFFSET = 88;
    /** Quote, i64: older updates of this symbol the quote replaced for a slow client; 0 when none. */
    public static final int CONFLATED_OFFSET = 96;

    /** Event: where the UTF-8 JSON object starts; it runs to the end of the record. */
    public static final int EVENT_JSON_OFFSET = 8;

    private BinaryRecords() {
    }

    /** Bytes in an event record whose JSON object is {@code jsonLength} bytes of UTF-8. */
    public static int eventLength(final int jsonLength) {
        return HEADER_LENGTH + jsonLength;
    }
}
