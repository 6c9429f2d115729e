package io.ticker.benchmarks;

import io.ticker.server.fanout.FrameSink;
import io.ticker.server.fanout.Subscriber;
import java.nio.ByteBuffer;

/**
 * A subscriber's socket in memory: counts the frames and bytes it is given. A healthy sink reports every frame sent
 * at once, as a client that always keeps up; a stalled one never does, so its subscriber keeps one frame in flight for
 * good and conflates everything after it. Owning thread only, like the real sink.
 */
public final class InMemoryFrameSink implements FrameSink {
    private final long framesCompleted;
    private final boolean shares;
    private long frames;
    private long bytes;
    private long binaryFrames;
    private long sharedFrames;

    private InMemoryFrameSink(final long framesCompleted, final boolean shares) {
        this.framesCompleted = framesCompleted;
        this.shares = shares;
    }

    private InMemoryFrameSink(final long framesCompleted) {
        this(framesCompleted, false);
    }

    /** A sink whose client reads everything at once. */
    public static InMemoryFrameSink healthy() {
        return new InMemoryFrameSink(Long.MAX_VALUE);
    }

    /**
     * A sink whose client reads everything at once and that takes a shard's shared firehose frames, as the server's
     * direct write path does.
     */
    public static InMemoryFrameSink healthySharing() {
        return new InMemoryFrameSink(Long.MAX_VALUE, true);
    }

    /** A sink whose client never finishes reading the first frame. */
    public static InMemoryFrameSink stalled() {
        return new InMemoryFrameSink(0);
    }

    /** A sink whose client reads the first {@code frames} frames and then stops reading. */
    public static InMemoryFrameSink stallsAfter(final long frames) {
        return new InMemoryFrameSink(frames);
    }

    @Override
    public void sendText(final ByteBuffer frame, final Subscriber owner) {
        frames++;
        bytes += frame.remaining();
        if (frames <= framesCompleted) {
            // Re-enters the subscriber, as Undertow's callback would on the same IO thread.
            owner.frameSent();
        }
    }

    @Override
    public boolean sharesFrames() {
        return shares;
    }

    @Override
    public void sendShared(final ByteBuffer frame, final boolean binary, final Subscriber owner) {
        sharedFrames++;
        if (binary) {
            sendBinary(frame, owner);
        } else {
            sendText(frame, owner);
        }
    }

    @Override
    public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
        binaryFrames++;
        sendText(frame, owner);
    }

    @Override
    public void sendPing() {
    }

    @Override
    public void sendPong(final ByteBuffer payload) {
    }

    @Override
    public void peerClosed(final int code) {
    }

    @Override
    public void sendClose(final int code, final String reason) {
    }

    @Override
    public void sendCloseThenDisconnect(final int code, final String reason) {
    }

    @Override
    public void abort() {
    }

    /** Frames handed to this sink. */
    public long frames() {
        return frames;
    }

    /** Of those, binary frames ({@code ticker.v1.binary} subscribers). */
    public long binaryFrames() {
        return binaryFrames;
    }

    /** Of those, shared firehose frames of a shard, taken without a copy. */
    public long sharedFrames() {
        return sharedFrames;
    }

    /** Bytes in the frames handed to this sink. */
    public long bytes() {
        return bytes;
    }
}
