package io.ticker.server.fanout;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The frame buffers of one shard's subscribers, lent out while a subscriber builds a frame or has one in flight and
 * taken back once it is written. Most subscribers are idle between updates (scenario D holds 19,000 connections of one
 * symbol each): lending means the buffers in use number about the subscribers touched by one drain, instead of two per
 * connection kept for its whole life. Owning IO thread only, like the shard.
 *
 * <p>Only buffers up to {@link #MAX_POOLED_BUFFER_BYTES} come back, and the pool holds at most
 * {@code maxPooledBytes} in all; past either limit a returned buffer is left to the garbage collector, so a burst of
 * large frames does not pin memory after it.
 */
final class FrameBufferPool {
    /** A new buffer's size: a frame of a few quotes, which is all most subscribers ever need. */
    static final int INITIAL_FRAME_BYTES = 512;
    /** Largest buffer taken back; a subscriber that needs larger ones keeps its own (see {@link Subscriber}). */
    static final int MAX_POOLED_BUFFER_BYTES = 64 * 1024;
    /** What one shard's pool may hold in all, by default. */
    static final int MAX_POOLED_BYTES_DEFAULT = 1024 * 1024;

    private final long maxPooledBytes;
    private FrameBuffer[] free = new FrameBuffer[64];
    private int freeCount;
    private long pooledBytes;

    FrameBufferPool() {
        this(MAX_POOLED_BYTES_DEFAULT);
    }

    FrameBufferPool(final long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
    }

    /** A buffer to build a frame in: the one returned last, or a new one of {@link #INITIAL_FRAME_BYTES}. */
    FrameBuffer take() {
        if (freeCount == 0) {
            return new FrameBuffer(INITIAL_FRAME_BYTES);
        }
        final FrameBuffer buffer = free[--freeCount];
        free[freeCount] = null;
        pooledBytes -= buffer.bytes.length;
        return buffer;
    }

    /** Takes {@code buffer} back, unless it is too large or the pool is full. Nobody may use it after this. */
    void give(final FrameBuffer buffer) {
        final int size = buffer.bytes.length;
        if (size > MAX_POOLED_BUFFER_BYTES || pooledBytes + size > maxPooledBytes) {
            return;
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, freeCount * 2);
        }
        free[freeCount++] = buffer;
        pooledBytes += size;
    }

    /** Buffers waiting to be lent. */
    int pooled() {
        return freeCount;
    }

    /** Bytes of the buffers waiting to be lent. */
    long pooledBytes() {
        return pooledBytes;
    }

    /** A frame's bytes with one reusable ByteBuffer over them, so that sending a frame allocates nothing. */
    static final class FrameBuffer {
        byte[] bytes;
        private ByteBuffer view;

        FrameBuffer(final int capacity) {
            bytes = new byte[capacity];
            view = ByteBuffer.wrap(bytes);
        }

        void grow(final int capacity) {
            bytes = Arrays.copyOf(bytes, capacity);
            view = ByteBuffer.wrap(bytes);
        }

        /** The payload, from {@code start} to {@code end}, with the header room before it. */
        ByteBuffer view(final int start, final int end) {
            view.clear().limit(end).position(start);
            return view;
        }
    }
}
