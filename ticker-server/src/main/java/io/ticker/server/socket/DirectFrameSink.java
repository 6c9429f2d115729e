package io.ticker.server.socket;

import io.ticker.server.fanout.FrameSink;
import io.ticker.server.fanout.Subscriber;
import io.undertow.conduits.IdleTimeoutConduit;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;

/**
 * A subscriber's frames written straight to its TCP connection: the server frame header (2 to 10 bytes, never
 * masked) goes into the room the subscriber left in front of the payload, and header and payload leave in one
 * {@code write}. Undertow's own send path costs a frame channel, listeners and a pooled header buffer per message;
 * on a loopback socket that is about as much CPU as the system call itself, and this path is where the server spends
 * most of its time.
 *
 * <p>Undertow still reads the connection (frame parsing, masking, fragments) and this sink does all the writing:
 * quotes, pings, pongs and close frames, so the two never interleave on the socket. Frames queue in order behind a
 * partial write, and the sink takes the connection's write-ready events while it has any; a subscriber has at most
 * one data frame queued (it conflates while one is in flight), so only control frames add to the queue. The one
 * write Undertow may still make itself is the close frame it sends when the peer breaks the framing protocol; that
 * connection is closed at once either way.
 *
 * <p>On a plain TCP connection the bytes go to the NIO socket channel itself, below XNIO's and Undertow's conduits
 * (nothing there does work this server needs: its idle and stall limits are its own), from a direct buffer the IO
 * thread owns rather than the JDK's temporary one. Under TLS they go through the connection's conduits, which
 * encrypt them. Either way a data frame that nothing waits before goes out without entering the queue, and without a
 * single reference stored for it: such stores into long-lived objects are card marks that G1's refinement threads
 * then scan, and this path runs once per frame.
 *
 * <p>Owning IO thread only, like the subscriber it serves.
 */
public final class DirectFrameSink implements FrameSink, ChannelListener<ConduitStreamSinkChannel> {
    /** Undertow's record that the channel's close frame went out; null if this Undertow does not let us reach it. */
    private static final VarHandle CLOSE_FRAME_SENT = closeFrameSentHandle();
    private static final int FIN_TEXT = 0x81;
    private static final int FIN_BINARY = 0x82;
    private static final int CLOSE = 0x88;
    private static final int PING = 0x89;
    private static final int PONG = 0x8A;
    private static final int MAX_CONTROL_PAYLOAD = CloseFrames.MAX_CONTROL_PAYLOAD;

    private final WebSocketChannel channel;
    private final ConduitStreamSinkChannel out;
    /** The TCP socket under {@link #out}, written directly; null under TLS, where only the conduits may write. */
    private final SocketChannel socket;
    /** The owning IO thread's buffer for a frame on its way to {@link #socket}; null to let the JDK copy it. */
    private final ByteBuffer scratch;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(4);
    private ByteBuffer dataFrame;
    private Subscriber dataOwner;
    private boolean writing;
    private boolean waitingForWritable;
    private boolean writesResumed;
    private boolean closeQueued;
    private boolean disconnectWhenWritten;

    private DirectFrameSink(
        final WebSocketChannel channel,
        final ConduitStreamSinkChannel out,
        final SocketChannel socket,
        final ByteBuffer scratch) {
        this.channel = channel;
        this.out = out;
        this.socket = socket;
        this.scratch = scratch;
        out.getWriteSetter().set(this);
    }

    /** {@link #attach(WebSocketChannel, ByteBuffer)} without a write buffer of the IO thread's. */
    public static DirectFrameSink attach(final WebSocketChannel channel) {
        return attach(channel, null);
    }

    /**
     * A direct sink for {@code channel}, which from now on must not be written through Undertow's send API; null if
     * this Undertow does not let us reach the connection, in which case the caller keeps Undertow's send path.
     * {@code scratch} (a direct buffer, or null) is the channel's IO thread's, shared by every sink on that thread:
     * each write copies a frame into it and leaves nothing there once it returns.
     */
    public static DirectFrameSink attach(final WebSocketChannel channel, final ByteBuffer scratch) {
        final StreamConnection connection = AbortiveClose.underlyingConnection(channel);
        if (connection == null) {
            return null;
        }
        final ConduitStreamSinkChannel out = connection.getSinkChannel();
        final SocketChannel socket = conduitsOnlyFilter(out) ? AbortiveClose.socketChannel(connection) : null;
        return new DirectFrameSink(channel, out, socket, scratch);
    }

    /**
     * Whether the conduits above the socket only pass bytes through as far as this server is concerned: no TLS (the
     * socket is then not reachable at all) and no Undertow idle timeout, which would have to see the writes.
     */
    private static boolean conduitsOnlyFilter(final ConduitStreamSinkChannel out) {
        return !(out.getConduit() instanceof IdleTimeoutConduit idle) || idle.getIdleTimeout() <= 0;
    }

    @Override
    public void sendText(final ByteBuffer frame, final Subscriber owner) {
        sendData(FIN_TEXT, frame, owner);
    }

    @Override
    public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
        sendData(FIN_BINARY, frame, owner);
    }

    @Override
    public boolean sharesFrames() {
        return true;
    }

    /**
     * Sends a frame shared with other subscribers like any data frame, straight from its buffer; what is still
     * queued when the write loop returns (the socket is full, or frames are queued before it) is swapped for a copy,
     * since the shard rebuilds the shared buffer for its next drain.
     */
    @Override
    public void sendShared(final ByteBuffer frame, final boolean binary, final Subscriber owner) {
        sendData(binary ? FIN_BINARY : FIN_TEXT, frame, owner);
        if (dataFrame == frame) {
            final ByteBuffer rest = ByteBuffer.allocate(frame.remaining());
            rest.put(frame).flip();
            // it went in last, and a write loop only takes from the front
            queue.pollLast();
            queue.addLast(rest);
            dataFrame = rest;
        }
    }

    private void sendData(final int firstByte, final ByteBuffer frame, final Subscriber owner) {
        putHeader(firstByte, frame);
        if (!queue.isEmpty() || writing || waitingForWritable) {
            queueData(frame, owner);
            writeQueued();
            return;
        }
        // Nothing waits before it: straight to the socket. The report comes after the write loop has let go, so that
        // the next frame the subscriber hands over from inside it takes this same way.
        writing = true;
        try {
            writeWhileTaken(frame);
            if (frame.hasRemaining()) {
                queueData(frame, owner);
                awaitWritable();
                return;
            }
            if (!flushed()) {
                awaitWritable();
            }
        } catch (final IOException e) {
            writing = false;
            queueData(frame, owner);
            failed();
            return;
        } finally {
            writing = false;
        }
        owner.frameSent();
    }

    private void queueData(final ByteBuffer frame, final Subscriber owner) {
        dataFrame = frame;
        dataOwner = owner;
        queue.addLast(frame);
    }

    @Override
    public void sendPing() {
        if (!closeQueued) {
            queueControl(PING, ByteBuffer.allocate(0));
        }
    }

    @Override
    public void sendPong(final ByteBuffer payload) {
        if (!closeQueued) {
            queueControl(PONG, payload);
        }
    }

    /**
     * Queues the connection's one close frame. Undertow is told a close frame went out, as if it had sent it: it
     * writes a close of its own when the peer breaks the framing or sends invalid UTF-8, even after ours (a 1009 then
     * a 1007 on one connection), unless it knows; and if Undertow sent one first, ours is not sent.
     */
    @Override
    public void sendClose(final int code, final String reason) {
        if (closeQueued) {
            return;
        }
        closeQueued = true;
        if (channel.isCloseFrameSent()) {
            return;
        }
        markCloseFrameSent();
        queueControl(CLOSE, CloseFrames.payload(code, reason));
    }

    private void markCloseFrameSent() {
        if (CLOSE_FRAME_SENT != null) {
            try {
                CLOSE_FRAME_SENT.setVolatile(channel, true);
            } catch (final RuntimeException e) {
                // left unmarked: Undertow may then add its own close after ours, as before
            }
        }
    }

    @Override
    public void sendCloseThenDisconnect(final int code, final String reason) {
        disconnectWhenWritten = true;
        if (closeQueued) {
            writeQueued();
        } else {
            sendClose(code, reason);
        }
    }

    @Override
    public void peerClosed(final int code) {
        // RFC 6455 5.5.1: answer with the code received; a close that carried none is answered with none.
        sendCloseThenDisconnect(code, null);
    }

    @Override
    public void abort() {
        queue.clear();
        AbortiveClose.close(channel);
    }

    /** The socket can take more: continue the queue. */
    @Override
    public void handleEvent(final ConduitStreamSinkChannel sink) {
        waitingForWritable = false;
        writeQueued();
    }

    /**
     * Writes the queue head first until the socket is full or the queue is empty. A data frame's completion is
     * reported as soon as its last byte is written; the subscriber may hand over its next frame from inside that
     * report, and it joins the queue for this same loop.
     */
    private void writeQueued() {
        if (writing || waitingForWritable) {
            return;
        }
        writing = true;
        try {
            ByteBuffer head;
            while ((head = queue.peekFirst()) != null) {
                writeWhileTaken(head);
                if (head.hasRemaining()) {
                    awaitWritable();
                    return;
                }
                queue.pollFirst();
                if (head == dataFrame) {
                    final Subscriber owner = dataOwner;
                    dataFrame = null;
                    dataOwner = null;
                    owner.frameSent();
                }
            }
            if (!flushed()) {
                awaitWritable();
                return;
            }
            if (writesResumed) {
                writesResumed = false;
                out.suspendWrites();
            }
            if (disconnectWhenWritten) {
                IoUtils.safeClose(channel);
            }
        } catch (final IOException e) {
            failed();
        } finally {
            writing = false;
        }
    }

    private void writeWhileTaken(final ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining() && write(buffer) > 0) {
            // keep writing while the socket takes bytes
        }
    }

    private int write(final ByteBuffer buffer) throws IOException {
        if (socket == null) {
            return out.write(buffer);
        }
        final int length = buffer.remaining();
        if (scratch == null || !buffer.hasArray() || length > scratch.capacity()) {
            return socket.write(buffer);
        }
        scratch.clear();
        scratch.put(0, buffer.array(), buffer.arrayOffset() + buffer.position(), length);
        scratch.limit(length);
        final int written = socket.write(scratch);
        buffer.position(buffer.position() + written);
        return written;
    }

    /** Whether every byte written has left: a plain socket writes through; TLS may hold bytes until flushed. */
    private boolean flushed() throws IOException {
        return socket != null || out.flush();
    }

    private void awaitWritable() {
        waitingForWritable = true;
        writesResumed = true;
        out.resumeWrites();
    }

    private void failed() {
        queue.clear();
        final Subscriber owner = dataOwner;
        dataFrame = null;
        dataOwner = null;
        if (owner != null) {
            owner.frameFailed();
        }
        IoUtils.safeClose(channel);
    }

    /**
     * Sends a copy of {@code payload} as one text or binary message, queued in order with everything else and with no
     * completion report: for the conformance echo, which answers each message with itself.
     */
    public void sendCopy(final boolean binary, final ByteBuffer payload) {
        if (closeQueued) {
            return;
        }
        final ByteBuffer frame = ByteBuffer.allocate(HEADER_ROOM + payload.remaining());
        frame.position(HEADER_ROOM);
        frame.put(payload.duplicate()).flip().position(HEADER_ROOM);
        putHeader(binary ? FIN_BINARY : FIN_TEXT, frame);
        queue.addLast(frame);
        writeQueued();
    }

    private void queueControl(final int firstByte, final ByteBuffer payload) {
        final int length = Math.min(payload.remaining(), MAX_CONTROL_PAYLOAD);
        final ByteBuffer frame = ByteBuffer.allocate(2 + length);
        frame.put((byte) firstByte).put((byte) length);
        frame.put(payload.slice().limit(length));
        frame.flip();
        queue.addLast(frame);
        writeQueued();
    }

    /** Writes the header for {@code frame}'s remaining bytes just before its position and moves the position to it. */
    static void putHeader(final int firstByte, final ByteBuffer frame) {
        final int length = frame.remaining();
        int start = frame.position();
        if (length < 126) {
            start -= 2;
            frame.put(start + 1, (byte) length);
        } else if (length <= 0xFFFF) {
            start -= 4;
            frame.put(start + 1, (byte) 126);
            frame.putShort(start + 2, (short) length);
        } else {
            start -= 10;
            frame.put(start + 1, (byte) 127);
            frame.putLong(start + 2, length);
        }
        frame.put(start, (byte) firstByte);
        frame.position(start);
    }

    private static VarHandle closeFrameSentHandle() {
        try {
            return MethodHandles.privateLookupIn(WebSocketChannel.class, MethodHandles.lookup())
                .findVarHandle(WebSocketChannel.class, "closeFrameSent", boolean.class);
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
