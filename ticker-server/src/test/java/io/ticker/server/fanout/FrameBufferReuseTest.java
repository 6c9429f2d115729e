package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.ring.QuoteEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A subscriber builds its next frame in the buffer its last frame was written from, and the shard's shared firehose
 * frame is rebuilt every drain, so a buffer reused while a sink still writes it puts other bytes on the socket. Here
 * a shard's subscribers run against sockets modelled on {@code socket.DirectFrameSink} (its queue, its one data
 * frame in flight, the shared frame's copy, failure and close) that take a few bytes at a time, and every byte a
 * socket writes is checked against the frame as it was handed over: random runs of batches, writable events, failed
 * writes, closes, commands and pings, each seed the same run every time.
 */
class FrameBufferReuseTest {
    private static final Executor DIRECT = Runnable::run;
    private static final int SEEDS = 150;
    private static final int STEPS = 400;

    private final List<String> violations = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();

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
        final List<Socket> sockets = new ArrayList<>();
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
            final Socket socket = sockets.get(random.nextInt(sockets.size()));
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
                socket.room = random.nextInt(4) == 0 ? Integer.MAX_VALUE : random.nextInt(20_000);
                trace.add(socket.id + " writable, room " + socket.room);
                socket.writable();
            } else if (action < 74) {
                trace.add(socket.id + " write fails");
                socket.failNext = true;
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
                socket.closeChannel();
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
        }
    }

    private Socket connect(final Random random, final FanoutShard shard, final SymbolUniverse universe, final int id) {
        final Socket socket = new Socket(id, random.nextBoolean(), random.nextBoolean());
        socket.room = random.nextInt(3) == 0 ? Integer.MAX_VALUE : random.nextInt(3000);
        final WireFormat format = random.nextInt(4) == 0 ? WireFormat.BINARY : WireFormat.JSON;
        socket.subscriber = new Subscriber(socket, shard, universe, 1_000, format);
        trace.add("connect " + id + (socket.shares ? ", shares" : "") + (socket.writesAlone ? ", writes alone" : ""));
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
     * DirectFrameSink's bookkeeping over a socket that takes {@code room} bytes, then none until it is writable again.
     * A frame it holds is compared, at each write, with the bytes it had when handed over.
     */
    private final class Socket implements FrameSink {
        final int id;
        final boolean shares;
        /** Whether a frame with nothing queued before it skips the queue (DirectFrameSink always queues it). */
        final boolean writesAlone;
        Subscriber subscriber;
        int room;
        boolean failNext;
        private final ArrayDeque<Frame> queue = new ArrayDeque<>();
        private ByteBuffer dataFrame;
        private Subscriber dataOwner;
        private boolean writing;
        private boolean waitingForWritable;
        private boolean closeQueued;
        private boolean disconnectWhenWritten;
        private boolean channelClosed;

        Socket(final int id, final boolean shares, final boolean writesAlone) {
            this.id = id;
            this.shares = shares;
            this.writesAlone = writesAlone;
        }

        @Override
        public boolean sharesFrames() {
            return shares;
        }

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            sendData(frame, owner);
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            sendData(frame, owner);
        }

        @Override
        public void sendShared(final ByteBuffer frame, final boolean binary, final Subscriber owner) {
            sendData(frame, owner);
            if (dataFrame == frame) {
                final ByteBuffer rest = ByteBuffer.allocate(frame.remaining());
                rest.put(frame).flip();
                queue.pollLast();
                queue.addLast(new Frame(rest));
                dataFrame = rest;
            }
        }

        private void sendData(final ByteBuffer frame, final Subscriber owner) {
            trace.add("  " + id + " takes a frame of " + frame.remaining() + " B");
            if (writesAlone && !writing && !waitingForWritable && queue.isEmpty()) {
                writeAlone(new Frame(frame), owner);
                return;
            }
            dataFrame = frame;
            dataOwner = owner;
            queue.addLast(new Frame(frame));
            writeQueued();
        }

        /** A frame with nothing queued before it, written and reported during the call, without entering the queue. */
        private void writeAlone(final Frame frame, final Subscriber owner) {
            writing = true;
            try {
                while (frame.buffer.hasRemaining() && write(frame) > 0) {
                    // keep writing while the socket takes bytes
                }
                if (frame.buffer.hasRemaining()) {
                    dataFrame = frame.buffer;
                    dataOwner = owner;
                    queue.addLast(frame);
                    waitingForWritable = true;
                    return;
                }
            } catch (final IOException e) {
                queue.clear();
                owner.frameFailed();
                closeChannel();
                return;
            } finally {
                writing = false;
            }
            owner.frameSent();
        }

        @Override
        public void sendPing() {
            if (!closeQueued) {
                queueControl(2);
            }
        }

        @Override
        public void sendPong(final ByteBuffer payload) {
            if (!closeQueued) {
                queueControl(2);
            }
        }

        @Override
        public void sendClose(final int code, final String reason) {
            if (!closeQueued) {
                closeQueued = true;
                queueControl(4);
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
            sendCloseThenDisconnect(code, null);
        }

        @Override
        public void abort() {
            queue.clear();
            closeChannel();
        }

        /** The channel closes, and its close task tells the subscriber, once. */
        void closeChannel() {
            if (!channelClosed) {
                channelClosed = true;
                subscriber.closed();
            }
        }

        void writable() {
            waitingForWritable = false;
            writeQueued();
        }

        private void queueControl(final int length) {
            queue.addLast(new Frame(ByteBuffer.allocate(length)));
            writeQueued();
        }

        private void writeQueued() {
            if (writing || waitingForWritable) {
                return;
            }
            writing = true;
            try {
                Frame head;
                while ((head = queue.peekFirst()) != null) {
                    while (head.buffer.hasRemaining() && write(head) > 0) {
                        // keep writing while the socket takes bytes
                    }
                    if (head.buffer.hasRemaining()) {
                        waitingForWritable = true;
                        return;
                    }
                    queue.pollFirst();
                    if (head.buffer == dataFrame) {
                        final Subscriber owner = dataOwner;
                        dataFrame = null;
                        dataOwner = null;
                        owner.frameSent();
                    }
                }
                if (disconnectWhenWritten) {
                    closeChannel();
                }
            } catch (final IOException e) {
                queue.clear();
                final Subscriber owner = dataOwner;
                dataFrame = null;
                dataOwner = null;
                if (owner != null) {
                    owner.frameFailed();
                }
                closeChannel();
            } finally {
                writing = false;
            }
        }

        private int write(final Frame frame) throws IOException {
            if (channelClosed || failNext) {
                failNext = false;
                throw new IOException("broken pipe");
            }
            final ByteBuffer buffer = frame.buffer;
            final int expectedPosition = frame.start + frame.written;
            final int expectedLimit = frame.start + frame.handedOver.length;
            if (buffer.position() != expectedPosition || buffer.limit() != expectedLimit) {
                violations.add(id + ": a frame in the queue was moved to " + buffer.position() + "-" + buffer.limit()
                    + ", handed over as " + expectedPosition + "-" + expectedLimit);
                buffer.limit(expectedLimit).position(expectedPosition);
            }
            final int count = Math.min(room, buffer.remaining());
            final byte[] bytes = new byte[count];
            buffer.get(bytes);
            if (!Arrays.equals(bytes, Arrays.copyOfRange(frame.handedOver, frame.written, frame.written + count))) {
                violations.add(id + ": a frame's bytes changed after it was handed over, from byte " + frame.written);
            }
            frame.written += count;
            if (room != Integer.MAX_VALUE) {
                room -= count;
            }
            return count;
        }
    }

    /** A frame in a socket's queue, with its bytes as they were handed over and how many were written. */
    private static final class Frame {
        final ByteBuffer buffer;
        final int start;
        final byte[] handedOver;
        int written;

        Frame(final ByteBuffer buffer) {
            this.buffer = buffer;
            this.start = buffer.position();
            this.handedOver = new byte[buffer.remaining()];
            buffer.duplicate().get(handedOver);
        }
    }
}
