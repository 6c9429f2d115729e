package io.ticker.server.socket;

import io.ticker.protocol.CloseCodes;
import io.undertow.server.protocol.framed.AbstractFramedStreamSourceChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.xnio.IoUtils;

/**
 * Reads one connection's inbound messages under our own limits, not Undertow's: the bytes of one message are counted
 * across every read and every fragment, so a message trickled in small writes or many fragments is held to the same
 * {@code maxMessageBytes} (close 1009), and a text message must be valid UTF-8 as a whole (close 1007). Whole
 * messages go to a {@link Receiver}. Runs on the connection's IO thread; one instance per connection.
 *
 * <p>After a violation the reader keeps reading and discards everything: the server has sent its close frame, and
 * the peer's close (RFC 6455 7.1.1) arrives behind whatever the peer was still sending. Closing with unread input
 * would reset the connection, and the peer could lose the close code.
 *
 * <p>Shared by the production {@link ClientListener} and the conformance echo server, so the Autobahn suite tests
 * this very code.
 */
public final class InboundMessageReader {
    /** Where whole messages and limit violations go; called on the connection's IO thread. */
    public interface Receiver {
        /** Some bytes of a message arrived: the peer is alive. */
        void heard();

        /** A whole text message, valid UTF-8. */
        void onTextMessage(String text);

        /** A whole binary message: {@code bytes[0, length)}, valid only during this call. */
        void onBinaryMessage(byte[] bytes, int length);

        /** A limit was broken: close with {@code closeCode}. No more messages are delivered after this. */
        void onViolation(int closeCode, String reason);

        /** {@code count} more frames of the current message arrived, empty fragments included. */
        default void framesArrived(final int count) {
        }
    }

    /** Bytes asked of Undertow per read; a message is assembled from as many reads as it takes. */
    static final int READ_CHUNK_BYTES = 4096;
    private static final int MESSAGE_BUFFER_INITIAL_BYTES = 256;

    /**
     * Undertow counts, per message, the frames it has read (fragments included) but keeps the count protected; this
     * handle reads it for the fragment cap. Null if a future Undertow changes it: the cap is then off, and the server
     * says so at start ({@link #fragmentCapAvailable()}); the byte cap still holds.
     */
    private static final MethodHandle FRAMES_READ = framesReadHandle();
    /**
     * Undertow's count of the current frame's bytes still to come. A 64-bit length with its most significant bit set
     * (RFC 6455 5.2 forbids it) arrives there as a negative number, and Undertow then waits for bytes forever; this
     * handle lets the reader refuse it. Null if a future Undertow renames it.
     */
    private static final VarHandle FRAME_DATA_REMAINING = frameDataRemainingHandle();

    private final Receiver receiver;
    private final int maxMessageBytes;
    private final int maxFragments;
    /**
     * The read chunk and the UTF-8 decoder are the IO thread's, not the connection's: a connection is only ever read
     * on its own IO thread and neither outlives one call, and 19,000 idle connections would otherwise hold 4 KiB and a
     * decoder each. The message buffer is the connection's, made when a message starts and dropped when
     * it ends: a message may arrive over several reads, between which the thread serves other connections.
     */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER =
        ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_CHUNK_BYTES));
    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() ->
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
    private static final byte[] NO_MESSAGE = new byte[0];
    private byte[] message = NO_MESSAGE;
    private int messageLength;
    private boolean text;
    private boolean rejected;
    /** Frames of the current message already reported to {@link Receiver#framesArrived}. */
    private int framesReported;

    /** A reader with a byte cap and no fragment cap. */
    public InboundMessageReader(final Receiver receiver, final int maxMessageBytes) {
        this(receiver, maxMessageBytes, Integer.MAX_VALUE);
    }

    /** A reader that also refuses messages of more than {@code maxFragments} frames (close 1009). */
    public InboundMessageReader(final Receiver receiver, final int maxMessageBytes, final int maxFragments) {
        this.receiver = receiver;
        this.maxMessageBytes = maxMessageBytes;
        this.maxFragments = maxFragments;
    }

    /** Whether fragments can be counted with this Undertow, so that a fragment cap is enforced. */
    public static boolean fragmentCapAvailable() {
        return FRAMES_READ != null;
    }

    /** The largest message accepted, in bytes. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Starts reading a message whose first frame has arrived: call from the receive listener's onText/onBinary. */
    public void begin(final StreamSourceFrameChannel frames, final boolean isText) {
        receiver.heard();
        messageLength = 0;
        framesReported = 0;
        text = isText;
        read(frames);
    }

    /** Reads what has arrived of the current message; picks up again when more arrives. */
    private void read(final StreamSourceFrameChannel frames) {
        final ByteBuffer readBuffer = READ_BUFFER.get();
        try {
            while (true) {
                readBuffer.clear();
                if (!rejected && frameDataRemaining(frames) < 0) {
                    // nothing more can be read: the close goes out, and housekeeping drops the connection if the peer
                    // does not answer it
                    reject(CloseCodes.PROTOCOL_ERROR, "64-bit frame length with the most significant bit set");
                    return;
                }
                final int read = frames.read(readBuffer);
                // Counted whatever the read returned: empty fragments carry no bytes, but each is a frame to parse.
                if (!rejected && countFrames(frames) > maxFragments) {
                    reject(CloseCodes.MESSAGE_TOO_BIG, "message in more than " + maxFragments + " fragments");
                }
                if (read == -1) {
                    frames.getReadSetter().set(null);
                    onMessageEnd();
                    return;
                }
                if (read == 0) {
                    frames.getReadSetter().set(this::read);
                    frames.resumeReads();
                    return;
                }
                receiver.heard();
                if (rejected) {
                    // Discard, but keep reading: the peer's answer to our close frame comes after this message.
                    continue;
                }
                if ((long) messageLength + read > maxMessageBytes) {
                    reject(CloseCodes.MESSAGE_TOO_BIG, "message larger than " + maxMessageBytes + " bytes");
                    continue;
                }
                append(readBuffer.array(), read);
            }
        } catch (final IOException e) {
            // Undertow reports a protocol error (bad frame, invalid UTF-8 in a text frame) this way, after it has
            // sent its own close code; nothing more can be read from this connection.
            IoUtils.safeClose(frames.getWebSocketChannel());
        }
    }

    /** The frames of the current message so far; reports the new ones to the receiver. */
    private int countFrames(final StreamSourceFrameChannel frames) {
        final int count = framesRead(frames);
        if (count > framesReported) {
            final int arrived = count - framesReported;
            framesReported = count;
            receiver.framesArrived(arrived);
        }
        return count;
    }

    private static int framesRead(final StreamSourceFrameChannel frames) {
        if (FRAMES_READ == null) {
            return 0;
        }
        try {
            return (int) FRAMES_READ.invokeExact((AbstractFramedStreamSourceChannel<?, ?, ?>) frames);
        } catch (final Throwable e) {
            return 0;
        }
    }

    private static long frameDataRemaining(final StreamSourceFrameChannel frames) {
        return FRAME_DATA_REMAINING == null ? 0 : (long) FRAME_DATA_REMAINING.get(
            (AbstractFramedStreamSourceChannel<?, ?, ?>) frames);
    }

    private static VarHandle frameDataRemainingHandle() {
        try {
            return MethodHandles.privateLookupIn(AbstractFramedStreamSourceChannel.class, MethodHandles.lookup())
                .findVarHandle(AbstractFramedStreamSourceChannel.class, "frameDataRemaining", long.class);
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static MethodHandle framesReadHandle() {
        try {
            final MethodHandles.Lookup lookup =
                MethodHandles.privateLookupIn(AbstractFramedStreamSourceChannel.class, MethodHandles.lookup());
            return lookup.findVirtual(AbstractFramedStreamSourceChannel.class, "getReadFrameCount",
                MethodType.methodType(int.class));
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private void append(final byte[] bytes, final int length) {
        if (messageLength + length > message.length) {
            message = Arrays.copyOf(message, Math.min(maxMessageBytes, Math.max(MESSAGE_BUFFER_INITIAL_BYTES,
                Math.max(message.length * 2, messageLength + length))));
        }
        System.arraycopy(bytes, 0, message, messageLength, length);
        messageLength += length;
    }

    private void onMessageEnd() {
        if (rejected) {
            return;
        }
        try {
            if (text) {
                final String decoded;
                try {
                    final CharBuffer chars = UTF8.get().reset().decode(ByteBuffer.wrap(message, 0, messageLength));
                    decoded = chars.toString();
                } catch (final CharacterCodingException e) {
                    reject(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
                    return;
                }
                receiver.onTextMessage(decoded);
            } else {
                receiver.onBinaryMessage(message, messageLength);
            }
        } finally {
            // Commands are rare and connections many (19,000 idle ones that sent one subscribe each): the
            // buffer lives only while a message is being assembled, not for the life of the connection.
            message = NO_MESSAGE;
        }
    }

    /** Stops delivering messages, for good, and tells the receiver to close with {@code closeCode}. */
    public void reject(final int closeCode, final String reason) {
        rejected = true;
        receiver.onViolation(closeCode, reason);
    }

    /** True once a limit was broken or the owner rejected the connection: no more messages are delivered. */
    public boolean rejected() {
        return rejected;
    }
}
