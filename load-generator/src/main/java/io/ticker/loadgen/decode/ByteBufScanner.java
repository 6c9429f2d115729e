package io.ticker.loadgen.decode;

import io.netty.buffer.ByteBuf;
import io.ticker.protocol.FrameListener;
import io.ticker.protocol.FrameScanner;

/**
 * A protocol {@link FrameScanner} fed from Netty. A heap buffer is scanned in place; a direct one is first copied into
 * a reused array, because one bulk copy is far cheaper than a bounds-checked {@code getByte} per byte, and the scan
 * then runs over a plain {@code byte[]}. One instance per event loop, like the scanner it holds.
 */
public final class ByteBufScanner {
    private static final int SCRATCH_BYTES_INITIAL = 64 * 1024;

    private final FrameScanner scanner;
    private byte[] scratch = new byte[SCRATCH_BYTES_INITIAL];

    /** Feeds {@code scanner}, which this instance then owns. */
    public ByteBufScanner(final FrameScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * Scans the readable bytes of {@code frame} (which it does not consume or release) and reports what it holds.
     *
     * @return the number of events or records reported
     */
    public int scan(final ByteBuf frame, final FrameListener listener) {
        final int length = frame.readableBytes();
        if (frame.hasArray()) {
            return scanner.scan(frame.array(), frame.arrayOffset() + frame.readerIndex(), length, listener);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        frame.getBytes(frame.readerIndex(), scratch, 0, length);
        return scanner.scan(scratch, 0, length, listener);
    }
}
