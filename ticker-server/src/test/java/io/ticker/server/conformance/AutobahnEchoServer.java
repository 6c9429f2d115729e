package io.ticker.server.conformance;

import io.ticker.server.ListenSettings;
import io.ticker.server.ServerAssembly;
import io.ticker.server.ServerConfig;
import io.ticker.server.admission.ConnectionLimiter;
import io.ticker.server.socket.ControlMessages;
import io.ticker.server.socket.DirectFrameSink;
import io.ticker.server.socket.InboundMessageReader;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.xnio.XnioWorker;

/**
 * The WebSocket echo server the Autobahn fuzzing client tests (profile {@code conformance}). It is the production
 * front, not a look-alike: the worker, listener options and admitted WebSocket route come from
 * {@link ServerAssembly}, and every inbound message is read by the production {@link InboundMessageReader} (our own
 * byte count across fragments, close 1009; strict UTF-8 for text, close 1007). Only what happens to a whole message
 * differs: it is sent back as it came, text as text and binary as binary.
 *
 * <p>The message limit is {@link #MAX_MESSAGE_SIZE_BYTES_ECHO}, not the production default of 64 KiB, because
 * Autobahn's non-performance cases echo messages up to 64 KiB plus framing. It binds 127.0.0.1 only.
 */
public final class AutobahnEchoServer {
    /** Large enough for every case outside 9.* (the largest is 65,536 bytes); 9.* goes up to 16 MiB. */
    public static final int MAX_MESSAGE_SIZE_BYTES_ECHO = 1024 * 1024;
    /** Loopback only: the suite runs on this machine and nothing else may reach the echo. */
    public static final String HOST = "127.0.0.1";

    private AutobahnEchoServer() {
    }

    /** Started by the plugin on a daemon thread as {@code main(new String[] {port})}; returns once listening. */
    public static void main(final String[] args) throws IOException {
        // The plugin connects to getLocalHost(): refuse to start unless it is loopback, so no case leaves the machine.
        final InetAddress target = InetAddress.getLocalHost();
        if (!target.isLoopbackAddress()) {
            throw new IllegalStateException("getLocalHost() is " + target.getHostAddress() + ", not loopback: run"
                + " scripts/autobahn.sh, which maps this host name to 127.0.0.1 with -Djdk.net.hosts.file");
        }
        final int port = args.length > 0 ? Integer.parseInt(args[0]) : ListenSettings.PORT_DEFAULT;
        final Undertow undertow = start(new ServerConfig().host(HOST).port(port)
            .maxMessageSizeBytes(MAX_MESSAGE_SIZE_BYTES_ECHO));
        System.out.println("autobahn echo server listening on " + undertow.getListenerInfo().get(0).getAddress());
    }

    /** Starts the echo behind the production route and listener, configured by {@code config}. */
    public static Undertow start(final ServerConfig config) throws IOException {
        final XnioWorker worker = ServerAssembly.worker(config);
        final ConnectionLimiter limiter = ServerAssembly.connectionLimiter(config.admission());
        final int maxMessageBytes = config.connection().maxMessageSizeBytes();
        return ServerAssembly.listen(worker, config, ServerAssembly.webSocketRoute(config, limiter, () -> false,
            (exchange, channel) -> {
                // AdmissionHandler took a connection slot before the upgrade; the socket's close gives it back.
                final DirectFrameSink sink = DirectFrameSink.attach(channel);
                if (sink == null) {
                    throw new IllegalStateException("the direct write path is unavailable on this Undertow");
                }
                channel.getReceiveSetter().set(new EchoListener(sink, maxMessageBytes));
                channel.resumeReceives();
            }));
    }

    /**
     * Echoes each whole message through the production write path, {@link DirectFrameSink}, which also answers pings
     * and closes as production does; so the suite checks our framing on the way out, not Undertow's.
     */
    private static final class EchoListener extends AbstractReceiveListener implements InboundMessageReader.Receiver {
        private final DirectFrameSink sink;
        private final InboundMessageReader reader;

        EchoListener(final DirectFrameSink sink, final int maxMessageBytes) {
            this.sink = sink;
            this.reader = new InboundMessageReader(this, maxMessageBytes);
        }

        @Override
        protected void onFullPingMessage(final WebSocketChannel ws, final BufferedBinaryMessage ping) {
            sink.sendPong(ControlMessages.payload(ping));
        }

        @Override
        protected void onFullCloseMessage(final WebSocketChannel ws, final BufferedBinaryMessage close) {
            sink.peerClosed(ControlMessages.closeCode(close));
        }

        @Override
        protected void onText(final WebSocketChannel ws, final StreamSourceFrameChannel frames) {
            reader.begin(frames, true);
        }

        @Override
        protected void onBinary(final WebSocketChannel ws, final StreamSourceFrameChannel frames) {
            reader.begin(frames, false);
        }

        @Override
        public void heard() {
        }

        @Override
        public void onTextMessage(final String text) {
            sink.sendCopy(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public void onBinaryMessage(final byte[] bytes, final int length) {
            sink.sendCopy(true, ByteBuffer.wrap(bytes, 0, length));
        }

        @Override
        public void onViolation(final int closeCode, final String reason) {
            // As production: the close frame, then the peer's close, which the reader keeps reading towards.
            sink.sendClose(closeCode, reason);
        }
    }
}
