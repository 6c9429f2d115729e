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

/**
 * Reads one connection's commands and acts on them, on the connection's IO thread (which also owns its
 * {@link Subscriber}, so commands and quote delivery never race).
 *
 * <p>Inbound limits are enforced by our own count, not left to Undertow: {@link InboundMessageReader} counts the
 * bytes of one message across every read and every fragment, so a message trickled in small writes or many fragments
 * is held to the same {@link #maxMessageBytes} (close 1009), and text must be valid UTF-8 (close 1007); commands are
 * rate limited here by a token bucket ({@code RATE_LIMITED}, then close 1008 if the client keeps on).
 */
final class ClientListener extends AbstractReceiveListener {
    /** Commands past the rate limit, in a row, after which the client is disconnected as abusive. */
    static final int RATE_LIMIT_STRIKES_MAX = 20;

    private final Subscriber subscriber;
    /** The universe's part of the {@code list} answer, encoded once, shared by every connection. */
    private final byte[] symbolsMembers;
    private final int maxMessageBytes;
    private final double commandsPerSecond;
    private final double commandBurst;
    private final InboundMessageReader reader;
    private final InboundFrameBudget frameBudget;
    private double tokens;
    private long refilledAtNanos = System.nanoTime();
    private int strikes;

    ClientListener(
        final Subscriber subscriber,
        final byte[] symbolsMembers,
        final int maxMessageBytes,
        final double commandsPerSecond,
        final double commandBurst,
        final int maxFragments,
        final InboundFrameBudget frameBudget) {
        this.frameBudget = frameBudget;
        this.subscriber = subscriber;
        this.symbolsMembers = symbolsMembers;
        this.maxMessageBytes = maxMessageBytes;
        this.commandsPerSecond = commandsPerSecond;
        this.commandBurst = commandBurst;
        this.tokens = commandBurst;
        this.reader = new InboundMessageReader(new CommandReceiver(), maxMessageBytes, maxFragments);
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxMessageBytes;
    }

    @Override
    protected void onText(final WebSocketChannel channel, final StreamSourceFrameChannel frames) {
        reader.begin(frames, true);
    }

    /** Acts on each whole command; the reader has enforced the size and UTF-8 limits. */
    private final class CommandReceiver implements InboundMessageReader.Receiver {
        @Override
        public void heard() {
            subscriber.heard();
        }

        @Override
        public void onTextMessage(final String text) {
            onCommand(text);
        }

        @Override
        public void onBinaryMessage(final byte[] bytes, final int length) {
            // Not reached: binary frames are buffered by Undertow and refused in onFullBinaryMessage.
            subscriber.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not accepted; send JSON text commands");
        }

        @Override
        public void onViolation(final int closeCode, final String reason) {
            subscriber.close(closeCode, reason);
        }

        @Override
        public void framesArrived(final int count) {
            spend(count);
        }
    }

    private void onCommand(final String text) {
        subscriber.commandReceived();
        if (!takeToken()) {
            onRateLimited(text);
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
            case SUBSCRIBE -> subscriber.subscribe(command.id(), command.symbols(), command.since(), command.epoch());
            case UNSUBSCRIBE -> subscriber.unsubscribe(command.id(), command.symbols());
            case LIST -> subscriber.sendSymbols(command.id(), symbolsMembers);
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

    private void onRateLimited(final String text) {
        if (++strikes > RATE_LIMIT_STRIKES_MAX) {
            reader.reject(CloseCodes.POLICY_VIOLATION, "too many commands after RATE_LIMITED");
            return;
        }
        // the contract: an error carries the command's id when it is readable, so the client knows which one failed
        subscriber.sendError(CommandDecoder.idOf(text), ErrorCode.RATE_LIMITED, "more than " + commandsPerSecond
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
        spend(1);
    }

    /** Takes {@code frames} from the inbound budget; a client that has spent it is closed with 1008. */
    private void spend(final int frames) {
        if (!frameBudget.take(frames) && !reader.rejected()) {
            reader.reject(CloseCodes.POLICY_VIOLATION, "too many frames");
        }
    }

    @Override
    protected void onFullPingMessage(final WebSocketChannel channel, final BufferedBinaryMessage ping) {
        subscriber.heard();
        spend(1);
        // The subscriber's sink writes every frame of this connection, pongs included, so they never interleave.
        subscriber.pong(ControlMessages.payload(ping));
    }

    @Override
    protected void onFullCloseMessage(final WebSocketChannel channel, final BufferedBinaryMessage close) {
        subscriber.heard();
        subscriber.peerClosed(ControlMessages.closeCode(close));
    }
}
