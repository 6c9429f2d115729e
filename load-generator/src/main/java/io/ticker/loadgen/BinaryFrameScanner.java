package io.ticker.loadgen;

import io.netty.buffer.ByteBuf;
import io.ticker.protocol.BinaryRecordReader;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.MalformedRecordException;

/**
 * The {@code ticker.v1.binary} counterpart of {@link QuoteFrameScanner}: walks the records of one binary frame and
 * reports them to the same {@link FrameListener}, in frame order. A quote record is read at fixed offsets, in place,
 * with nothing allocated; an event record holds the JSON event object, which the JSON scanner reads as it would in
 * an array. A frame that breaks the layout is reported once as malformed, after the records before the fault.
 *
 * <p>One instance per event loop: it keeps a reader and a copy buffer for direct frames.
 */
public final class BinaryFrameScanner {
    private final BinaryRecordReader reader = new BinaryRecordReader();
    private final QuoteFrameScanner events = new QuoteFrameScanner();
    private byte[] scratch = new byte[64 * 1024];

    /**
     * Scans the readable bytes of {@code frame} (which it does not consume or release) and reports every record. A
     * direct buffer is copied into a reused array first, as the JSON scanner does, so the records are read from a
     * plain {@code byte[]}.
     *
     * @return the number of records reported
     */
    public int scan(final ByteBuf frame, final FrameListener listener) {
        final int length = frame.readableBytes();
        if (frame.hasArray()) {
            return scan(frame.array(), frame.arrayOffset() + frame.readerIndex(), length, listener);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), scratch, 0, length);
        return scan(scratch, 0, length, listener);
    }

    /**
     * Scans {@code length} bytes of {@code bytes} from {@code offset}; offsets given to the listener index
     * {@code bytes}.
     *
     * @return the number of records reported
     */
    public int scan(final byte[] bytes, final int offset, final int length, final FrameListener listener) {
        if (length == 0) {
            listener.onMalformed("empty binary frame");
            return 0;
        }
        reader.wrap(bytes, offset, length);
        int records = 0;
        try {
            while (reader.hasNext()) {
                if (reader.next() == BinaryRecords.TYPE_QUOTE) {
                    listener.onQuote(reader.buffer(), reader.symbolOffset(), reader.symbolLength(), reader.seq(),
                        reader.timestampMicros(), reader.isSnapshot(), reader.conflated());
                    records++;
                } else {
                    records += events.scanEvent(
                        reader.buffer(), reader.eventJsonOffset(), reader.eventJsonLength(), listener);
                }
            }
        } catch (final MalformedRecordException e) {
            listener.onMalformed(e.getMessage());
        }
        return records;
    }
}
