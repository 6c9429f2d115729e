package io.ticker.server.fanout;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A frame's bytes with one reusable ByteBuffer over them, so that sending a frame allocates nothing. */
final class FrameBuffer {
    /** Where a frame's payload starts in its buffer: the bytes before it are the sink's, for the frame header. */
    static final int PAYLOAD_START = FrameSink.HEADER_ROOM;

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

    /** The payload, from {@link #PAYLOAD_START} to {@code end}, with the header room before it. */
    ByteBuffer view(final int end) {
        view.clear().limit(end).position(PAYLOAD_START);
        return view;
    }
}
