package io.ticker.loadgen;

import io.netty.buffer.ByteBuf;

/**
 * What both wire formats' scanners share: taking a frame from Netty. A heap buffer is scanned in place; a direct one
 * is first copied into a reused array, because one bulk copy is far cheaper than a bounds-checked {@code getByte}
 * per byte, and the scan then runs over a plain {@code byte[]}.
 */
public abstract class FrameScanner {
    private byte[] scratch = new byte[64 * 1024];

    /**
     * Scans the readable bytes of {@code frame} (which it does not consume or release) and reports what it holds.
     *
     * @return the number of events or records reported
     */
    public final int scan(final ByteBuf frame, final FrameListener listener) {
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
     * @return the number of events or records reported
     */
    public abstract int scan(byte[] bytes, int offset, int length, FrameListener listener);
}
