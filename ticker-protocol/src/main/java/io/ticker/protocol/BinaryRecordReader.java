package io.ticker.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Walks the records of one {@code ticker.v1.binary} frame ({@link BinaryRecords}) in place: a flyweight over the
 * frame's bytes whose accessors read the current record's fields straight from them. Nothing is allocated per record,
 * so a client can read hundreds of thousands of quotes a second; only {@link #symbol()} and {@link #eventJson()}, for
 * tests and the cold path, make strings.
 *
 * <pre>{@code
 * reader.wrap(frame, 0, length);
 * while (reader.hasNext()) {
 *     if (reader.next() == BinaryRecords.TYPE_QUOTE) { ... reader.seq(), reader.timestampMicros() ... }
 * }
 * }</pre>
 *
 * <p>Every record is checked before it is exposed: its header fits, its length fits the frame and its type, the type
 * is known, reserved bits are zero. A frame that fails gets a {@link MalformedRecordException} naming the offset;
 * records before the bad one have been read, nothing after it is. One reader per thread; reusable.
 */
public final class BinaryRecordReader {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    private byte[] scratch = new byte[0];
    private int frameStart;
    private int position;
    private int limit;
    private int record;
    private int recordLength;
    private byte type;

    /** Reads {@code length} bytes of {@code frame} from {@code offset}; the array is read in place, not copied. */
    public BinaryRecordReader wrap(final byte[] frame, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset + length > frame.length || offset + length < 0) {
            throw new IndexOutOfBoundsException("frame of " + frame.length + " bytes, asked " + offset + "+" + length);
        }
        bytes = frame;
        frameStart = offset;
        position = offset;
        limit = offset + length;
        type = 0;
        return this;
    }

    /**
     * Reads the remaining bytes of {@code frame}, whose position is left as it is. A heap buffer is read in place; a
     * direct one is first copied into an array this reader keeps and grows, so only a larger frame than any before
     * allocates.
     */
    public BinaryRecordReader wrap(final ByteBuffer frame) {
        final int length = frame.remaining();
        if (frame.hasArray()) {
            return wrap(frame.array(), frame.arrayOffset() + frame.position(), length);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        frame.get(frame.position(), scratch, 0, length);
        return wrap(scratch, 0, length);
    }

    /** Whether another record follows the current one. */
    public boolean hasNext() {
        return position < limit;
    }

    /**
     * Moves to the next record and checks it.
     *
     * @return its type, {@link BinaryRecords#TYPE_QUOTE} or {@link BinaryRecords#TYPE_EVENT}
     * @throws MalformedRecordException if the record does not follow the layout; the reader is then at the frame's
     *                                  end
     * @throws IllegalStateException    if there is no next record
     */
    public byte next() {
        if (position >= limit) {
            throw new IllegalStateException("no record left in the frame");
        }
        final int start = position;
        final int left = limit - start;
        if (left < BinaryRecords.HEADER_LENGTH) {
            throw malformed(start, "truncated header: " + left + " bytes left, a header is "
                + BinaryRecords.HEADER_LENGTH);
        }
        final long length = Integer.toUnsignedLong((int) INT.get(bytes, start + BinaryRecords.LENGTH_OFFSET));
        if (length < BinaryRecords.HEADER_LENGTH) {
            throw malformed(start, "record length " + length + " is shorter than the header");
        }
        if (length > left) {
            throw malformed(start, "truncated record: length " + length + " but " + left + " bytes left");
        }
        if (bytes[start + BinaryRecords.RESERVED_OFFSET] != 0) {
            throw malformed(start, "reserved header byte is " + (bytes[start + BinaryRecords.RESERVED_OFFSET] & 0xff)
                + ", not 0");
        }
        final byte recordType = bytes[start + BinaryRecords.TYPE_OFFSET];
        if (recordType == BinaryRecords.TYPE_QUOTE) {
            checkQuote(start, (int) length);
        } else if (recordType == BinaryRecords.TYPE_EVENT) {
            checkEvent(start, (int) length);
        } else {
            throw malformed(start, "unknown record type " + (recordType & 0xff));
        }
        record = start;
        recordLength = (int) length;
        type = recordType;
        position = start + (int) length;
        return recordType;
    }

    private void checkQuote(final int start, final int length) {
        if (length != BinaryRecords.QUOTE_LENGTH) {
            throw malformed(start, "quote record length " + length + ", must be " + BinaryRecords.QUOTE_LENGTH);
        }
        final int flags = bytes[start + BinaryRecords.FLAGS_OFFSET] & 0xff;
        if ((flags & ~(BinaryRecords.FLAG_SNAPSHOT | BinaryRecords.FLAG_REPLAYED)) != 0) {
            throw malformed(start, "undefined quote flags 0x" + Integer.toHexString(flags));
        }
        final int symbolLength = bytes[start + BinaryRecords.SYMBOL_LENGTH_OFFSET] & 0xff;
        if (symbolLength == 0 || symbolLength > BinaryRecords.SYMBOL_CAPACITY) {
            throw malformed(start, "symbol length " + symbolLength + ", must be 1-" + BinaryRecords.SYMBOL_CAPACITY);
        }
        final int symbol = start + BinaryRecords.SYMBOL_OFFSET;
        for (int i = symbolLength; i < BinaryRecords.SYMBOL_CAPACITY; i++) {
            if (bytes[symbol + i] != 0) {
                throw malformed(start, "symbol padding not zero at symbol byte " + i);
            }
        }
        if ((long) LONG.get(bytes, start + BinaryRecords.CONFLATED_OFFSET) < 0) {
            throw malformed(start, "negative conflated count");
        }
    }

    private void checkEvent(final int start, final int length) {
        if (bytes[start + BinaryRecords.FLAGS_OFFSET] != 0 || bytes[start + BinaryRecords.SYMBOL_LENGTH_OFFSET] != 0) {
            throw malformed(start, "event record with non-zero flags or symbol length");
        }
        final int json = start + BinaryRecords.EVENT_JSON_OFFSET;
        final int end = start + length;
        // an object at least: "{}"; what is inside is the JSON subprotocol's business
        if (end - json < 2 || bytes[json] != '{' || bytes[end - 1] != '}') {
            throw malformed(start, "event record does not hold a JSON object");
        }
    }

    private MalformedRecordException malformed(final int start, final String reason) {
        position = limit;
        type = 0;
        return new MalformedRecordException(start - frameStart, reason);
    }

    /** The current record's type, 0 before the first {@link #next()}. */
    public byte type() {
        return type;
    }

    /** The array the current record is in (the frame's own, or this reader's copy of a direct buffer). */
    public byte[] buffer() {
        return bytes;
    }

    /** Where the current record starts in {@link #buffer()}. */
    public int recordOffset() {
        return record;
    }

    /** Bytes in the current record, header included. */
    public int recordLength() {
        return recordLength;
    }

    // ---- quote records ----

    /** Whether the current quote is a snapshot (flag bit 0). */
    public boolean isSnapshot() {
        return (bytes[record + BinaryRecords.FLAGS_OFFSET] & BinaryRecords.FLAG_SNAPSHOT) != 0;
    }

    /** Whether the current quote is replayed from the server's history after a resume (flag bit 1). */
    public boolean isReplayed() {
        return (bytes[record + BinaryRecords.FLAGS_OFFSET] & BinaryRecords.FLAG_REPLAYED) != 0;
    }

    /** Where the current quote's symbol starts in {@link #buffer()}. */
    public int symbolOffset() {
        return record + BinaryRecords.SYMBOL_OFFSET;
    }

    /** The meaningful bytes of the current quote's symbol. */
    public int symbolLength() {
        return bytes[record + BinaryRecords.SYMBOL_LENGTH_OFFSET] & 0xff;
    }

    /** The current quote's symbol as a string; allocates, for tests and the cold path. */
    public String symbol() {
        return new String(bytes, symbolOffset(), symbolLength(), StandardCharsets.US_ASCII);
    }

    /** The current quote's seq. */
    public long seq() {
        return field(BinaryRecords.SEQ_OFFSET);
    }

    /** The current quote's {@code ts}: microseconds since the Unix epoch. */
    public long timestampMicros() {
        return field(BinaryRecords.TIMESTAMP_OFFSET);
    }

    /** The current quote's bid, fixed-point. */
    public long bid() {
        return field(BinaryRecords.BID_OFFSET);
    }

    /** The current quote's ask, fixed-point. */
    public long ask() {
        return field(BinaryRecords.ASK_OFFSET);
    }

    /** The current quote's last trade price, fixed-point. */
    public long last() {
        return field(BinaryRecords.LAST_OFFSET);
    }

    /** The current quote's bid size. */
    public long bidSize() {
        return field(BinaryRecords.BID_SIZE_OFFSET);
    }

    /** The current quote's ask size. */
    public long askSize() {
        return field(BinaryRecords.ASK_SIZE_OFFSET);
    }

    /** The current quote's last trade size. */
    public long lastSize() {
        return field(BinaryRecords.LAST_SIZE_OFFSET);
    }

    /** The current quote's cumulative volume. */
    public long volume() {
        return field(BinaryRecords.VOLUME_OFFSET);
    }

    /** How many older updates of its symbol the current quote replaced; 0 when none. */
    public long conflated() {
        return field(BinaryRecords.CONFLATED_OFFSET);
    }

    /**
     * Copies the current quote's prices, sizes, volume and timestamp into {@code quote} and returns it; the symbol id
     * is the caller's to resolve from {@link #symbolOffset()}, and is left as it was.
     */
    public Quote decodeQuote(final Quote quote) {
        quote.bid = bid();
        quote.ask = ask();
        quote.last = last();
        quote.bidSize = bidSize();
        quote.askSize = askSize();
        quote.lastSize = lastSize();
        quote.volume = volume();
        quote.timestampMicros = timestampMicros();
        return quote;
    }

    private long field(final int fieldOffset) {
        if (type != BinaryRecords.TYPE_QUOTE) {
            throw new IllegalStateException("the current record is not a quote");
        }
        return (long) LONG.get(bytes, record + fieldOffset);
    }

    // ---- event records ----

    /** Where the current event's JSON object starts in {@link #buffer()}. */
    public int eventJsonOffset() {
        return record + BinaryRecords.EVENT_JSON_OFFSET;
    }

    /** Bytes in the current event's JSON object. */
    public int eventJsonLength() {
        return recordLength - BinaryRecords.EVENT_JSON_OFFSET;
    }

    /** The current event's JSON object as a string; allocates, for tests and the cold path. */
    public String eventJson() {
        if (type != BinaryRecords.TYPE_EVENT) {
            throw new IllegalStateException("the current record is not an event");
        }
        return new String(bytes, eventJsonOffset(), eventJsonLength(), StandardCharsets.UTF_8);
    }
}
