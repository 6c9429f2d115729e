package io.ticker.protocol;

/**
 * A {@code ticker.v1.binary} frame that does not follow the record layout: a truncated record, a length that does not
 * fit the frame or the type, an unknown type, or a field outside its range. Thrown by {@link BinaryRecordReader}; the
 * message names the offset in the frame and what was wrong there.
 */
public final class MalformedRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /** A malformed record at {@code offset} bytes into the frame, with {@code reason}. */
    public MalformedRecordException(final int offset, final String reason) {
        super("malformed ticker.v1.binary record at offset " + offset + ": " + reason);
        this.offset = offset;
    }

    /** Where in the frame the bad record starts. */
    public int offset() {
        return offset;
    }
}
