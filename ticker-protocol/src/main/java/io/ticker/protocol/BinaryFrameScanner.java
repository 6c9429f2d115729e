package io.ticker.protocol;

/**
 * The {@code ticker.v1.binary} counterpart of {@link JsonFrameScanner}: walks the records of one binary frame and
 * reports them to the same {@link FrameListener}, in frame order. A quote record is read at fixed offsets, in place,
 * with nothing allocated; an event record holds the JSON event object, which the JSON scanner reads as it would in
 * an array. A frame that breaks the layout is reported once as malformed, after the records before the fault.
 *
 * <p>One instance per event loop: it keeps a reader and a copy buffer for direct frames.
 */
public final class BinaryFrameScanner implements FrameScanner {
    private final BinaryRecordReader reader = new BinaryRecordReader();
    private final JsonFrameScanner events = new JsonFrameScanner();

    /**
     * Scans {@code length} bytes of {@code bytes} from {@code offset}; offsets given to the listener index
     * {@code bytes}.
     *
     * @return the number of records reported
     */
    @Override
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
                        reader.timestampMicros(), reader.isSnapshot(), reader.isReplayed(), reader.conflated());
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
