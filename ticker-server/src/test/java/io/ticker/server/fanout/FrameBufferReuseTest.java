package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.ring.QuoteEvent;
import io.ticker.server.socket.DirectFrameSink;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.WebSocket13Channel;
import io.undertow.websockets.extensions.NoopExtensionFunction;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xnio.IoUtils;
import org.xnio.Option;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.EmptyStreamSourceConduit;
import org.xnio.conduits.StreamSinkConduit;
import org.xnio.conduits.WriteReadyHandler;

/**
 * A subscriber builds its next frame in the buffer its last frame was written from, and the shard's shared firehose
 * frame is rebuilt every drain, so a buffer reused while a sink still writes it puts other bytes on the socket. Here
 * a shard's subscribers write through the real {@link DirectFrameSink}, attached to a real Undertow WebSocket channel
 * whose connection is a socket that takes a few bytes at a time, fails on demand and records every byte; each data
 * frame on that wire is checked against the frame as the subscriber handed it over: random runs of batches, writable
 * events, failed writes, closes, commands and pings, each seed the same run every time.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FrameBufferReuseTest {
    private static final Executor DIRECT = Runnable::run;
    private static final int SEEDS = 150;
    private static final int STEPS = 400;

    /** Undertow's read buffers; nothing here reads. */
    private static final DefaultByteBufferPool READ_BUFFERS = new DefaultByteBufferPool(false, 1024);
    private static XnioWorker worker;

    private final List<String> violations = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();

    @BeforeAll
    static void startWorker() throws IOException {
        // its IO thread only gives each connection an owner; every step runs on the test's thread
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdown();
    }

    @Test
    void shouldWriteEveryFrameAsItWasHandedOver() {
        for (long seed = 0; seed < SEEDS; seed++) {
            violations.clear();
            trace.clear();
            run(seed);
            if (!violations.isEmpty()) {
                final List<String> last = trace.subList(Math.max(0, trace.size() - 40), trace.size());
                assertEquals(List.of(), violations, "seed " + seed + ", last steps:\n" + String.join("\n", last));
            }
        }
    }

    private void run(final long seed) {
        final Random random = new Random(seed);
        // 500 symbols make firehose frames large enough for the buffers a busy subscriber keeps for itself
        final SymbolUniverse universe = SymbolUniverse.generate(random.nextBoolean() ? 20 : 500, 7);
        // Queued, several batches wait for one drain, as on an IO thread that fell behind.
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final boolean queued = random.nextBoolean();
        final FanoutShard shard = new FanoutShard(queued ? tasks::add : DIRECT, universe.size());
        final BatchPublisher publisher = new BatchPublisher(universe, new FanoutShard[] {shard});
        final QuoteEvent event = new QuoteEvent();
        long seq = 0;
        final List<Connection> sockets = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            if (queued && (random.nextInt(3) == 0 || step % 32 == 0)) {
                trace.add("drain");
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
            }
            final int action = random.nextInt(100);
            if (sockets.size() < 3 || action < 8) {
                sockets.add(connect(random, shard, universe, sockets.size()));
                continue;
            }
            final Connection socket = sockets.get(random.nextInt(sockets.size()));
            final Subscriber subscriber = socket.subscriber;
            if (action < 45) {
                final int updates = 1 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 40);
                trace.add("batch of " + updates);
                for (int i = 0; i < updates; i++) {
                    event.quote.symbolId = random.nextInt(universe.size());
                    event.quote.bid = 1_000_000 + seq;
                    event.quote.ask = 1_000_100 + seq;
                    event.quote.timestampMicros = 1_763_800_000_000_000L + seq;
                    event.seq = seq++;
                    event.publishNanos = System.nanoTime();
                    publisher.onEvent(event, event.seq, i == updates - 1);
                }
            } else if (action < 70) {
                socket.wire.room = random.nextInt(4) == 0 ? Integer.MAX_VALUE : random.nextInt(20_000);
                trace.add(socket.id + " writable, room " + socket.wire.room);
                socket.writable();
            } else if (action < 74) {
                trace.add(socket.id + " write fails");
                socket.wire.failNext = true;
                socket.writable();
            } else if (action < 80) {
                trace.add(socket.id + " event");
                subscriber.send("{\"event\":\"pong\",\"id\":\"" + step + "\"}");
            } else if (action < 84) {
                trace.add(socket.id + " ping");
                subscriber.ping();
            } else if (action < 86) {
                trace.add(socket.id + " close");
                subscriber.close(1000, "bye");
            } else if (action < 88) {
                trace.add(socket.id + " close and disconnect");
                subscriber.closeAndDisconnect(1008, "bye");
            } else if (action < 90) {
                trace.add(socket.id + " peer closed");
                subscriber.peerClosed(1000);
            } else if (action < 92) {
                trace.add(socket.id + " abort");
                subscriber.abort();
            } else if (action < 94) {
                trace.add(socket.id + " channel closed");
                IoUtils.safeClose(socket.channel);
            } else {
                // commands come in after a close too, until the client's own close arrives
                final String name =
                    random.nextBoolean() ? "*" : universe.symbols().get(random.nextInt(universe.size()));
                trace.add(socket.id + (action < 97 ? " subscribe " : " unsubscribe ") + name);
                if (action < 97) {
                    subscriber.subscribe("s", List.of(name));
                } else {
                    subscriber.unsubscribe("u", List.of(name));
                }
            }
            for (final Connection each : sockets) {
                each.reportClose();
            }
        }
    }

    private Connection connect(final Random random, final FanoutShard shard, final SymbolUniverse universe,
        final int id) {
        final Connection socket = new Connection(id, random.nextBoolean());
        socket.wire.room = random.nextInt(3) == 0 ? Integer.MAX_VALUE : random.nextInt(3000);
        final WireFormat format = random.nextInt(4) == 0 ? WireFormat.BINARY : WireFormat.JSON;
        socket.subscriber = new Subscriber(socket, shard, universe, 1_000, format);
        trace.add("connect " + id + (socket.shares ? ", shares" : ""));
        if (random.nextInt(3) == 0) {
            socket.subscriber.subscribe("s", List.of("*"));
        } else {
            final List<String> names = new ArrayList<>();
            final int count = 1 + random.nextInt(random.nextBoolean() ? 5 : 300);
            for (int i = 0; i < count; i++) {
                names.add(universe.symbols().get(random.nextInt(universe.size())));
            }
            socket.subscriber.subscribe("s", names);
        }
        return socket;
    }

    /**
     * One client connection as the endpoint sets it up: a subscriber writing through a {@link DirectFrameSink} on a
     * WebSocket channel, and the channel's close reported to the subscriber once. Between the two it notes the
     * payload of each data frame as it is handed over; {@code shares} false stands for a sink that takes no shared
     * frames, so the subscriber copies the firehose frame into its own buffer instead.
     */
    private final class Connection implements FrameSink {
        final int id;
        final boolean shares;
        final Wire wire = new Wire();
        final TestConnection connection;
        final WebSocketChannel channel;
        final DirectFrameSink sink;
        final ArrayDeque<byte[]> handedOver = new ArrayDeque<>();
        Subscriber subscriber;
        private boolean closeReported;

        Connection(final int id, final boolean shares) {
            this.id = id;
            this.shares = shares;
            connection = new TestConnection(worker.getIoThread(0), wire);
            channel = new WebSocket13Channel(connection, READ_BUFFERS, "ws://test", null,
                false, false, NoopExtensionFunction.INSTANCE, new HashSet<>(), OptionMap.EMPTY);
            sink = DirectFrameSink.attach(channel);
            wire.connection = this;
        }

        @Override
        public boolean sharesFrames() {
            return shares;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            handOver(frame);
            sink.sendText(frame, owner);
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            handOver(frame);
            sink.sendBinary(frame, owner);
        }

        @Override
        public void sendShared(final ByteBuffer frame, final boolean binary, final Subscriber owner) {
            handOver(frame);
            sink.sendShared(frame, binary, owner);
        }

        private void handOver(final ByteBuffer frame) {
            trace.add("  " + id + " takes a frame of " + frame.remaining() + " B");
            final byte[] payload = new byte[frame.remaining()];
            frame.duplicate().get(payload);
            handedOver.addLast(payload);
        }

        @Override
        public void sendPing() {
            sink.sendPing();
        }

        @Override
        public void sendPong(final ByteBuffer payload) {
            sink.sendPong(payload);
        }

        @Override
        public void sendClose(final int code, final String reason) {
            sink.sendClose(code, reason);
        }

        @Override
        public void sendCloseThenDisconnect(final int code, final String reason) {
            sink.sendCloseThenDisconnect(code, reason);
        }

        @Override
        public void peerClosed(final int code) {
            sink.peerClosed(code);
        }

        @Override
        public void abort() {
            sink.abort();
        }

        /** The socket can take more: XNIO calls the sink's write listener only while it asked for writes. */
        void writable() {
            if (wire.writesResumed) {
                sink.handleEvent(connection.getSinkChannel());
            }
        }

        /** The endpoint's close task: the subscriber hears of the channel's close once, after the call that did it. */
        void reportClose() {
            if (wire.closed && !closeReported) {
                closeReported = true;
                subscriber.closed();
            }
        }

        /** A data frame's payload as it reached the wire, which must be the next one handed over, byte for byte. */
        void written(final byte[] payload) {
            final byte[] expected = handedOver.pollFirst();
            if (expected == null) {
                violations.add(id + ": a data frame of " + payload.length + " B that nobody handed over");
            } else if (!Arrays.equals(expected, payload)) {
                violations.add(id + ": a frame of " + expected.length + " B reached the wire as " + payload.length
                    + " B of other bytes");
            }
        }
    }

    /**
     * The socket under the channel: takes {@code room} bytes, then none until it is writable again; fails a write on
     * demand or once closed; reads the frames it was given off its own bytes.
     */
    private static final class Wire implements StreamSinkConduit {
        int room;
        boolean failNext;
        boolean closed;
        boolean writesResumed;
        Connection connection;
        private byte[] bytes = new byte[1024];
        private int length;

        @Override
        public int write(final ByteBuffer src) throws IOException {
            if (closed || failNext) {
                failNext = false;
                throw new IOException("broken pipe");
            }
            final int count = Math.min(room, src.remaining());
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            src.get(bytes, length, count);
            length += count;
            if (room != Integer.MAX_VALUE) {
                room -= count;
            }
            readFrames();
            return count;
        }

        /** Takes every complete frame off the front of what was written; data frames go to the check. */
        private void readFrames() {
            int start = 0;
            while (length - start >= 2) {
                final int opcode = bytes[start] & 0x0F;
                final int shortLength = bytes[start + 1] & 0x7F;
                final int headerLength = shortLength == 127 ? 10 : shortLength == 126 ? 4 : 2;
                if (length - start < headerLength) {
                    break;
                }
                final long payloadLength = shortLength == 127 ? ByteBuffer.wrap(bytes, start + 2, 8).getLong()
                    : shortLength == 126 ? ByteBuffer.wrap(bytes, start + 2, 2).getShort() & 0xFFFF : shortLength;
                if (length - start - headerLength < payloadLength) {
                    break;
                }
                final int payloadStart = start + headerLength;
                start = payloadStart + (int) payloadLength;
                if (opcode == 1 || opcode == 2) {
                    connection.written(Arrays.copyOfRange(bytes, payloadStart, start));
                }
            }
            if (start > 0) {
                System.arraycopy(bytes, start, bytes, 0, length - start);
                length -= start;
            }
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int count) throws IOException {
            long written = 0;
            for (int i = offset; i < offset + count; i++) {
                written += write(srcs[i]);
            }
            return written;
        }

        @Override
        public int writeFinal(final ByteBuffer src) throws IOException {
            return write(src);
        }

        @Override
        public long writeFinal(final ByteBuffer[] srcs, final int offset, final int count) throws IOException {
            return write(srcs, offset, count);
        }

        @Override
        public long transferFrom(final FileChannel src, final long position, final long count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long transferFrom(final StreamSourceChannel source, final long count, final ByteBuffer throughBuffer) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean flush() {
            return true;
        }

        @Override
        public void resumeWrites() {
            writesResumed = true;
        }

        @Override
        public void suspendWrites() {
            writesResumed = false;
        }

        @Override
        public void wakeupWrites() {
            writesResumed = true;
        }

        @Override
        public boolean isWriteResumed() {
            return writesResumed;
        }

        @Override
        public void terminateWrites() {
            closed = true;
        }

        @Override
        public void truncateWrites() {
            closed = true;
        }

        @Override
        public boolean isWriteShutdown() {
            return closed;
        }

        @Override
        public void awaitWritable() {
            throw new UnsupportedOperationException("the sink never blocks");
        }

        @Override
        public void awaitWritable(final long time, final TimeUnit timeUnit) {
            throw new UnsupportedOperationException("the sink never blocks");
        }

        @Override
        public XnioIoThread getWriteThread() {
            return worker.getIoThread(0);
        }

        @Override
        public void setWriteReadyHandler(final WriteReadyHandler handler) {
            // the test calls the sink's write listener itself
        }

        @Override
        public XnioWorker getWorker() {
            return worker;
        }
    }

    /** A connection whose socket is a {@link Wire} and which reads nothing. */
    private static final class TestConnection extends StreamConnection {
        private final Wire wire;

        TestConnection(final XnioIoThread thread, final Wire wire) {
            super(thread);
            this.wire = wire;
            setSinkConduit(wire);
            setSourceConduit(new EmptyStreamSourceConduit(thread));
        }

        @Override
        protected void closeAction() {
            wire.closed = true;
        }

        @Override
        protected void notifyWriteClosed() {
        }

        @Override
        protected void notifyReadClosed() {
        }

        @Override
        public boolean isReadShutdown() {
            return wire.closed;
        }

        @Override
        public boolean isWriteShutdown() {
            return wire.closed;
        }

        @Override
        public SocketAddress getPeerAddress() {
            return null;
        }

        @Override
        public SocketAddress getLocalAddress() {
            return null;
        }

        @Override
        public boolean supportsOption(final Option<?> option) {
            return false;
        }

        @Override
        public <T> T getOption(final Option<T> option) {
            return null;
        }

        @Override
        public <T> T setOption(final Option<T> option, final T value) {
            return null;
        }
    }
}
