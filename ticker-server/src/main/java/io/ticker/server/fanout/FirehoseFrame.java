package io.ticker.server.fanout;

import java.nio.ByteBuffer;

/**
 * A drain's quotes built once, in one wire format, as the frame payload that every firehose subscriber of a shard would
 * otherwise build for itself: with 50 firehose connections, 50 copies of every quote per tick. Only subscribers with
 * nothing of their own pending are sent it (see {@link Subscriber#canShareFrames()}); anything else about a subscriber
 * (an ack, a snapshot, a conflated quote) would change its frame.
 *
 * <p>The buffer is direct, so a {@code write} of it skips the JDK's copy of heap bytes into a temporary native
 * buffer, once per subscriber. A sink reads it only during the call that writes it and copies whatever it could not
 * write, so the frame is built anew in place after every drain. Owning IO thread only.
 */
final class FirehoseFrame {
    private static final int PAYLOAD_START = FrameSink.HEADER_ROOM;

    private final boolean binary;
    private final ByteBuffer buffer;
    /** Where the next quote goes: the end of the payload, without the closing bracket of a JSON array. */
    private int end = PAYLOAD_START;
    private int quotes;
    private long oldestNanos;

    /** An empty frame of {@code ticker.v1.binary} records if {@code binary}, else of a JSON array. */
    FirehoseFrame(final boolean binary) {
        this.binary = binary;
        // room for the header, a full payload, and the JSON array's brackets
        this.buffer = ByteBuffer.allocateDirect(PAYLOAD_START + Subscriber.MAX_FRAME_PAYLOAD_BYTES + 2);
    }

    /** Whether a quote of {@code length} bytes still fits under {@link Subscriber#MAX_FRAME_PAYLOAD_BYTES}. */
    boolean fits(final int length) {
        return end - PAYLOAD_START + length + 2 <= Subscriber.MAX_FRAME_PAYLOAD_BYTES;
    }

    /** Appends one quote that entered the ring at {@code publishNanos}; the caller checked {@link #fits}. */
    void append(final byte[] bytes, final int offset, final int length, final long publishNanos) {
        if (quotes == 0) {
            oldestNanos = publishNanos;
        }
        if (!binary) {
            buffer.put(end++, quotes == 0 ? (byte) '[' : (byte) ',');
        }
        buffer.put(end, bytes, offset, length);
        end += length;
        quotes++;
    }

    int quotes() {
        return quotes;
    }

    /** When the oldest quote in the frame entered the ring, {@link System#nanoTime()}. */
    long oldestNanos() {
        return oldestNanos;
    }

    /** Payload bytes, the closing bracket included. */
    int payloadLength() {
        return end - PAYLOAD_START + (binary ? 0 : 1);
    }

    /**
     * The payload, ready for one more sink: position at its start with {@link FrameSink#HEADER_ROOM} free bytes
     * before it, limit at its end. Each call rewinds the same buffer.
     */
    ByteBuffer view() {
        int limit = end;
        if (!binary) {
            buffer.put(limit++, (byte) ']');
        }
        buffer.clear().limit(limit).position(PAYLOAD_START);
        return buffer;
    }

    /** Empties the frame for the next drain. */
    void clear() {
        // absolute puts are bounded by the limit a view set
        buffer.clear();
        end = PAYLOAD_START;
        quotes = 0;
    }
}
