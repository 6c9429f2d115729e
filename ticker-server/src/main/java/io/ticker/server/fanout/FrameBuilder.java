package io.ticker.server.fanout;

import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.QuoteBinaryEncoder;
import io.ticker.protocol.QuoteJsonEncoder;
import io.ticker.server.book.LastQuoteBook;
import java.nio.ByteBuffer;

/**
 * The frame one subscriber is building, in its wire format: a JSON array of event objects for {@code ticker.v1.json},
 * records back to back for {@code ticker.v1.binary} ({@link WireFormat}), always with {@link FrameSink#HEADER_ROOM}
 * free in front. A small buffer is the shard's ({@link FrameBufferPool}): taken when a frame starts, given back once
 * the socket has taken the frame, so a connection between frames holds none. A subscriber whose frames outgrow the
 * pool's buffers keeps its own, and a second one only while a frame waits in the sink. Owning IO thread only;
 * nothing here allocates once the pool and the kept buffers have grown to the frames they carry.
 */
final class FrameBuilder {
    /**
     * Frame buffers larger than the pool's and up to this size are kept by the subscriber for reuse; larger ones only
     * while they fit what this subscriber can be sent at once (see {@link #retainFor}), so that a one-off large frame
     * does not pin memory for the connection's life.
     */
    static final int MAX_RETAINED_FRAME_BYTES = 64 * 1024;
    /** Ceiling of the retained size, for firehose subscribers of a large universe. */
    static final int MAX_RETAINED_FRAME_BYTES_BUSY = 1024 * 1024;
    private static final int PAYLOAD_START = FrameBuffer.PAYLOAD_START;

    private final boolean binary;
    /** Bytes the longest quote of the format takes. */
    private final int quoteStride;
    private final FrameBufferPool pool;
    /** The buffer being built in; null while no frame is started and the subscriber keeps no buffer of its own. */
    private FrameBuffer frame;
    /** End of the payload built so far in {@link #frame}; {@link #PAYLOAD_START} when it is empty. */
    private int end = PAYLOAD_START;
    /** A buffer too large for the pool, kept for the next frame while another waits in the sink. */
    private FrameBuffer spare;
    private int retainedFrameBytes = MAX_RETAINED_FRAME_BYTES;

    /** A builder of {@code ticker.v1.binary} frames if {@code binary}, else of JSON arrays, with the shard's pool. */
    FrameBuilder(final boolean binary, final FrameBufferPool pool) {
        this.binary = binary;
        this.pool = pool;
        this.quoteStride = binary ? BinaryRecords.QUOTE_LENGTH : QuoteJsonEncoder.MAX_QUOTE_LENGTH;
    }

    /** Bytes the longest quote of this format takes: the size of a conflation slot. */
    int quoteStride() {
        return quoteStride;
    }

    boolean isEmpty() {
        return end == PAYLOAD_START;
    }

    /** Payload bytes built so far. */
    int payloadBytes() {
        return end - PAYLOAD_START;
    }

    /** Appends {@code length} bytes of one quote as it is: its encoding, made once for every subscriber. */
    void appendQuote(final byte[] bytes, final int offset, final int length) {
        beginEvent(length);
        System.arraycopy(bytes, offset, frame.bytes, end, length);
        end += length;
    }

    /**
     * Appends a quote that waited in a conflation slot, with the count of older quotes of its symbol it replaced
     * written into it when there were any.
     */
    void appendPending(final byte[] bytes, final int offset, final int length, final long conflated) {
        beginEvent(quoteStride);
        if (conflated == 0) {
            System.arraycopy(bytes, offset, frame.bytes, end, length);
            end += length;
        } else if (binary) {
            end = QuoteBinaryEncoder.putWithConflated(frame.bytes, end, bytes, offset, conflated);
        } else {
            end = QuoteJsonEncoder.putWithConflated(frame.bytes, end, bytes, offset, length, conflated);
        }
    }

    /** Appends the book's quote of {@code symbolId} as a snapshot. */
    void appendSnapshot(final LastQuoteBook book, final int symbolId) {
        beginEvent(quoteStride);
        if (binary) {
            end = QuoteBinaryEncoder.putWithSnapshot(frame.bytes, end, book.records(), book.recordOffset(symbolId));
        } else {
            end = QuoteJsonEncoder.putWithSnapshot(
                frame.bytes, end, book.bytes(), book.offset(symbolId), book.length(symbolId));
        }
    }

    /** Appends one event object (UTF-8 JSON): as it is in a JSON array, in an event record in a binary frame. */
    void appendEvent(final byte[] json) {
        if (binary) {
            beginEvent(BinaryRecords.eventLength(json.length));
            end = QuoteBinaryEncoder.putEvent(frame.bytes, end, json, 0, json.length);
        } else {
            appendQuote(json, 0, json.length);
        }
    }

    /**
     * Makes room for an event of up to {@code length} bytes plus separators, and writes the JSON separator; binary
     * records follow each other with nothing between.
     */
    private void beginEvent(final int length) {
        if (frame == null) {
            frame = pool.take();
        }
        final int needed = end + length + 2;
        if (needed > frame.bytes.length) {
            frame.grow(Math.max(needed, frame.bytes.length * 2));
        }
        if (!binary) {
            frame.bytes[end] = end == PAYLOAD_START ? (byte) '[' : (byte) ',';
            end++;
        }
    }

    /**
     * Ends the frame built so far (at least one event) and returns its payload, with the header room before it; then
     * {@link #handOver} or {@link #afterSentInCall} says where the buffer goes.
     */
    ByteBuffer finish() {
        if (!binary) {
            frame.bytes[end++] = ']';
        }
        final ByteBuffer payload = frame.view(end);
        end = PAYLOAD_START;
        return payload;
    }

    /**
     * The sink kept the frame just {@link #finish}ed: the buffer is the sink's until it reports the frame, and
     * building goes on in the spare. Returns that buffer, for {@link #sent} later.
     */
    FrameBuffer handOver() {
        final FrameBuffer handedOver = frame;
        buildInSpare();
        return handedOver;
    }

    /**
     * The socket took the frame just {@link #finish}ed during the call: a small buffer goes back to the pool, a larger
     * one stays for the next frame if worth keeping.
     */
    void afterSentInCall() {
        if (frame.bytes.length <= FrameBufferPool.POOLED_BYTES_MAX) {
            pool.give(frame);
            frame = null;
        } else if (!worthKeeping(frame)) {
            buildInSpare();
        }
    }

    /**
     * The sink reported the frame in {@code buffer} (from {@link #handOver}) sent: a small buffer goes back to the
     * pool, a larger one is the spare if worth keeping.
     */
    void sent(final FrameBuffer buffer) {
        if (buffer.bytes.length <= FrameBufferPool.POOLED_BYTES_MAX) {
            pool.give(buffer);
        } else if (worthKeeping(buffer)) {
            spare = buffer;
        }
    }

    /**
     * Lets buffers of one quote per covered symbol, twice over, be kept. A subscriber to many symbols regularly needs
     * frames that large (a conflated catch-up, a busy tick); dropping such a buffer after every send and growing a
     * new one from 1 KiB costs a firehose subscriber megabytes of garbage per second, so the limit grows with the
     * subscription, up to {@link #MAX_RETAINED_FRAME_BYTES_BUSY}. Commands only.
     */
    void retainFor(final int coveredSymbols) {
        final long oneQuotePerSymbol = (long) coveredSymbols * quoteStride * 2;
        retainedFrameBytes =
            (int) Math.max(MAX_RETAINED_FRAME_BYTES, Math.min(MAX_RETAINED_FRAME_BYTES_BUSY, oneQuotePerSymbol));
    }

    /** Output stopped: what was built is dropped, and the buffers with it, now rather than with the socket. */
    void release() {
        end = PAYLOAD_START;
        if (frame != null) {
            pool.give(frame);
            frame = null;
        }
        spare = null;
    }

    /** Builds from now on in the spare buffer, or in one from the pool when the next frame starts. */
    private void buildInSpare() {
        frame = spare;
        spare = null;
    }

    /** Whether {@code buffer} is small enough to keep for the connection's life, as the frame or the spare. */
    private boolean worthKeeping(final FrameBuffer buffer) {
        return buffer.bytes.length <= retainedFrameBytes;
    }
}
