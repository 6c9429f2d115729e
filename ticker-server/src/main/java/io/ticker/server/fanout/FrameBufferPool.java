package io.ticker.server.fanout;

import java.util.Arrays;

/**
 * A shard's idle frame buffers. A subscriber takes one when it starts a frame and gives it back once the socket has
 * taken the frame, so a connection between frames holds no buffer: with 10,000 connections of one symbol each, a
 * drain builds a few dozen frames, not 10,000, and the pool holds as many buffers as one drain ever built at once.
 * Buffers of busy subscribers (larger than {@link #POOLED_BYTES_MAX}) are not pooled: those subscribers keep their
 * own. Owning IO thread only; taking and giving allocate nothing once the pool has grown to its busiest drain.
 */
final class FrameBufferPool {
    /** A new buffer: a frame of a few quotes. */
    static final int NEW_BUFFER_BYTES = 512;
    /** Buffers up to this size come back to the pool; larger ones stay with their subscriber or go to the GC. */
    static final int POOLED_BYTES_MAX = 4 * 1024;

    private FrameBuffer[] idle = new FrameBuffer[16];
    private int count;

    /** An idle buffer, or a new one when every pooled buffer is in use. */
    FrameBuffer take() {
        if (count == 0) {
            return new FrameBuffer(NEW_BUFFER_BYTES);
        }
        final FrameBuffer buffer = idle[--count];
        idle[count] = null;
        return buffer;
    }

    /** Returns a buffer nothing refers to any more (no sink holds it); a large one is left to the GC. */
    void give(final FrameBuffer buffer) {
        if (buffer.bytes.length > POOLED_BYTES_MAX) {
            return;
        }
        if (count == idle.length) {
            idle = Arrays.copyOf(idle, count * 2);
        }
        idle[count++] = buffer;
    }

    /** Buffers waiting in the pool. */
    int idle() {
        return count;
    }
}
