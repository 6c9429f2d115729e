package io.ticker.server.socket;

import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.Command;
import io.ticker.protocol.CommandDecoder;
import io.ticker.protocol.ErrorCode;
import io.ticker.protocol.EventJson;
import io.ticker.server.fanout.Subscriber;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.xnio.IoUtils;

/**
 * Reads one connection's commands and acts on them, on the connection's IO thread (which also owns its
 * {@link Subscriber}, so commands and quote delivery never race).
 *
 * <p>Inbound limits are enforced here by our own count, not left to Undertow: the bytes of one message are counted
 * across every read and every fragment, so a message trickled in small writes or many fragments is held to the same
 * {@link #maxMessageBytes} (close 1009); text must be valid UTF-8 (close 1007); commands are rate limited by a token
 * bucket ({@code RATE_LIMITED}, then close 1008 if the client keeps on).
 */
final class ClientListener extends AbstractReceiveListener {
    /** Commands past the rate limit, in a row, after which the client is disconnected as abusive. */
    static final int RATE_LIMIT_STRIKES_MAX = 20;

    private final Subscriber subscriber;
    private final List<String> universeSymbols;
    private final int maxMessageBytes;
    private final double commandsPerSecond;
    private final double commandBurst;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] message = new byte[256];
    private int messageLength;
    private boolean rejected;
    private double tokens;
    private long refilledAtNanos = System.nanoTime();
    private int strikes;

    ClientListener(
        final Subscriber subscriber,
        final List<String> universeSymbols,
        final int maxMessageBytes,
        final double commandsPerSecond,
        final double commandBurst) {
        this.subscriber = subscriber;
        this.universeSymbols = universeSymbols;
        this.maxMessageBytes = maxMessageBytes;
        this.commandsPerSecond = commandsPerSecond;
        this.commandBurst = commandBurst;
        this.tokens = commandBurst;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxMessageBytes;
    }

    @Override
    protected void onText(final WebSocketChannel channel, final StreamSourceFrameChannel frames) {
        subscriber.heard();
        messageLength = 0;
        read(frames);
    }

    /** Reads what has arrived of the current message; picks up again when more arrives. */
    private void read(final StreamSourceFrameChannel frames) {
        try {
            while (true) {
                readBuffer.clear();
                final int read = frames.read(readBuffer);
                if (read == -1) {
                    frames.getReadSetter().set(null);
                    onMessage();
                    return;
                }
                if (read == 0) {
                    frames.getReadSetter().set(this::read);
                    frames.resumeReads();
                    return;
                }
                subscriber.heard();
                if ((long) messageLength + read > maxMessageBytes) {
                    frames.getReadSetter().set(null);
                    rejected = true;
                    subscriber.closeAndDisconnect(CloseCodes.MESSAGE_TOO_BIG,
                        "message larger than " + maxMessageBytes + " bytes");
                    return;
                }
                append(readBuffer.array(), read);
            }
        } catch (final IOException e) {
            // Undertow reports a protocol error (bad frame, invalid UTF-8 in a text frame) this way, after it has
            // sent its own close code; nothing more can be read from this connection.
            IoUtils.safeClose(frames.getWebSocketChannel());
        }
    }

    private void append(final byte[] bytes, final int length) {
        if (messageLength + length > message.length) {
            message = Arrays.copyOf(message, Math.min(maxMessageBytes, Math.max(message.length * 2,
                messageLength + length)));
        }
        System.arraycopy(bytes, 0, message, messageLength, length);
        messageLength += length;
    }

    private void onMessage() {
        if (rejected) {
            return;
        }
        final String text;
        try {
            final CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(message, 0, messageLength));
            text = chars.toString();
        } catch (final CharacterCodingException e) {
            rejected = true;
            subscriber.closeAndDisconnect(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
            return;
        } finally {
            if (message.length > 4096) {
                message = new byte[256];
            }
        }
        if (!takeToken()) {
            onRateLimited();
            return;
        }
        final Command command;
        try {
            command = CommandDecoder.decode(text);
        } catch (final CommandDecoder.CommandException e) {
            subscriber.sendError(e.id(), e.code(), e.getMessage());
            return;
        }
        switch (command.op()) {
            case SUBSCRIBE -> subscriber.subscribe(command.id(), command.symbols());
            case UNSUBSCRIBE -> subscriber.unsubscribe(command.id(), command.symbols());
            case LIST -> subscriber.send(EventJson.symbols(command.id(), universeSymbols));
            case PING -> subscriber.send(EventJson.pong(command.id(), MicrosClock.nowMicros()));
            default -> throw new IllegalStateException("unhandled op " + command.op());
        }
    }

    private boolean takeToken() {
        if (commandsPerSecond <= 0) {
            return true;
        }
        final long now = System.nanoTime();
        tokens = Math.min(commandBurst, tokens + (now - refilledAtNanos) * commandsPerSecond / 1e9);
        refilledAtNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            strikes = 0;
            return true;
        }
        return false;
    }

    private void onRateLimited() {
        if (++strikes > RATE_LIMIT_STRIKES_MAX) {
            rejected = true;
            subscriber.closeAndDisconnect(CloseCodes.POLICY_VIOLATION, "too many commands after RATE_LIMITED");
            return;
        }
        subscriber.sendError(null, ErrorCode.RATE_LIMITED, "more than " + commandsPerSecond
            + " commands per second (burst " + (int) commandBurst + "); command ignored");
    }

    @Override
    protected void onFullBinaryMessage(final WebSocketChannel channel, final BufferedBinaryMessage binary) {
        subscriber.heard();
        binary.getData().free();
        subscriber.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not accepted; send JSON text commands");
    }

    @Override
    protected void onFullPongMessage(final WebSocketChannel channel, final BufferedBinaryMessage pong) {
        subscriber.heard();
        pong.getData().free();
    }

    @Override
    protected void onFullPingMessage(final WebSocketChannel channel, final BufferedBinaryMessage ping)
        throws IOException {
        subscriber.heard();
        super.onFullPingMessage(channel, ping);
    }
}
