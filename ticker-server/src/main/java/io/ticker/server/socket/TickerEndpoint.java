package io.ticker.server.socket;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.EventJson;
import io.ticker.server.admission.ConnectionSlot;
import io.ticker.server.fanout.FanoutShard;
import io.ticker.server.fanout.FrameSink;
import io.ticker.server.fanout.Subscriber;
import io.ticker.server.fanout.WireFormat;
import io.undertow.util.Headers;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.xnio.XnioIoThread;

/**
 * Accepts each upgraded connection: gives it a {@link Subscriber} on the shard of the IO thread Undertow put it on,
 * and a {@link ClientListener} for its commands.
 */
public final class TickerEndpoint implements WebSocketConnectionCallback {
    /**
     * Bytes of each IO thread's buffer that frames go to the socket from: a frame of quotes at its largest
     * ({@code Subscriber}'s 64 KiB) and its header fit; a larger one (a replay, the symbol list) is copied by the JDK.
     */
    private static final int WRITE_BUFFER_BYTES = 128 * 1024;

    private final Map<XnioIoThread, FanoutShard> shardByThread = new IdentityHashMap<>();
    private final Map<XnioIoThread, ByteBuffer> writeBufferByThread = new IdentityHashMap<>();
    private final SymbolUniverse universe;
    /** The universe's part of every {@code list} answer: encoded once, not once per request (154 KB at 20,000). */
    private final byte[] symbolsMembers;
    private final ConnectionSettings config;

    /** An endpoint over {@code shards}, one per IO thread, keyed by that thread. */
    public TickerEndpoint(
        final Map<XnioIoThread, FanoutShard> shards,
        final SymbolUniverse universe,
        final ConnectionSettings config) {
        shardByThread.putAll(shards);
        for (final XnioIoThread thread : shards.keySet()) {
            writeBufferByThread.put(thread, ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES));
        }
        this.universe = universe;
        this.symbolsMembers = EventJson.symbolsMembers(universe.symbols()).getBytes(StandardCharsets.UTF_8);
        this.config = config;
    }

    @Override
    public void onConnect(final WebSocketHttpExchange exchange, final WebSocketChannel channel) {
        final FanoutShard shard = shardByThread.get(channel.getIoThread());
        // the handshake put the subprotocol it chose (the client's first that we serve) on the channel
        final Subscriber subscriber = new Subscriber(sinkFor(exchange, channel), shard, universe,
            config.maxSubscriptionsPerConnection(), WireFormat.of(channel.getSubProtocol()));
        // AdmissionHandler took the socket's slot before the upgrade; the subscriber leaves the count when the socket
        // closes, which may already have happened (a reset during the 101): then it leaves at once.
        final ConnectionSlot slot = exchange.getAttachment(ConnectionSlot.KEY);
        slot.whenReleased(subscriber::closed);
        channel.addCloseTask(ch -> slot.release());
        channel.getReceiveSetter().set(new ClientListener(subscriber, symbolsMembers, config.maxMessageSizeBytes(),
            config.commandRatePerSecond(), config.commandBurst(), config.maxFragmentsPerMessage(),
            new InboundFrameBudget(config.inboundFrameRatePerSecond(), config.inboundFrameBurst())));
        channel.resumeReceives();
    }

    /**
     * The direct sink unless it is switched off or the connection negotiated an extension (permessage-deflate has to
     * transform every frame, and only Undertow's send path applies it).
     */
    private FrameSink sinkFor(final WebSocketHttpExchange exchange, final WebSocketChannel channel) {
        final String extensions = exchange.getResponseHeader(Headers.SEC_WEB_SOCKET_EXTENSIONS_STRING);
        if (config.directWrites() && (extensions == null || extensions.isBlank())) {
            final FrameSink direct = DirectFrameSink.attach(channel, writeBufferByThread.get(channel.getIoThread()));
            if (direct != null) {
                return direct;
            }
        }
        return new WebSocketFrameSink(channel);
    }
}
