package io.ticker.server.socket;

import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.Command;
import io.ticker.protocol.CommandDecoder;
import io.ticker.protocol.EventJson;
import io.ticker.server.fanout.Subscriber;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.util.List;

/**
 * Reads one connection's commands and acts on them. Runs on the connection's IO thread, which also owns its
 * {@link Subscriber}, so commands and quote delivery never race. A bad command gets an error event and the
 * connection stays open.
 */
final class ClientListener extends AbstractReceiveListener {
    private final Subscriber subscriber;
    private final List<String> universeSymbols;
    private final long maxMessageBytes;

    ClientListener(final Subscriber subscriber, final List<String> universeSymbols, final long maxMessageBytes) {
        this.subscriber = subscriber;
        this.universeSymbols = universeSymbols;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected long getMaxTextBufferSize() {
        return maxMessageBytes;
    }

    @Override
    protected long getMaxBinaryBufferSize() {
        return maxMessageBytes;
    }

    @Override
    protected void onText(final WebSocketChannel channel, final StreamSourceFrameChannel message) throws IOException {
        subscriber.heard();
        super.onText(channel, message);
    }

    @Override
    protected void onFullTextMessage(final WebSocketChannel channel, final BufferedTextMessage message) {
        subscriber.heard();
        final String text = message.getData();
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

    @Override
    protected void onFullBinaryMessage(final WebSocketChannel channel, final BufferedBinaryMessage message) {
        subscriber.heard();
        message.getData().free();
        subscriber.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not accepted; send JSON text commands");
    }

    @Override
    protected void onFullPongMessage(final WebSocketChannel channel, final BufferedBinaryMessage message) {
        subscriber.heard();
        message.getData().free();
    }

    @Override
    protected void onFullPingMessage(final WebSocketChannel channel, final BufferedBinaryMessage message)
        throws IOException {
        subscriber.heard();
        super.onFullPingMessage(channel, message);
    }
}
