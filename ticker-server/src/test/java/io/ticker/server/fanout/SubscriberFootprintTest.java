package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.fanout.FrameBufferPool.FrameBuffer;
import io.ticker.server.ring.QuoteEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * What an idle subscriber keeps between updates: no frame buffer. Buffers are the shard's, lent per frame, so a shard
 * of many one-symbol subscribers (scenario D) holds as many as one drain touches at most, not two per connection.
 */
class SubscriberFootprintTest {
    private static final Executor DIRECT = Runnable::run;

    private final SymbolUniverse universe = SymbolUniverse.generate(50, 42);
    private final FanoutShard shard = new FanoutShard(DIRECT, universe.size());
    private final BatchPublisher publisher = new BatchPublisher(universe, new FanoutShard[] {shard});
    private final QuoteEvent event = new QuoteEvent();
    private long seq;

    @Test
    void shouldHoldNoFrameBufferBetweenFramesAndShareTheShardsFew() {
        final List<Subscriber> subscribers = new ArrayList<>();
        final List<WrittenSink> sinks = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            final WrittenSink sink = new WrittenSink();
            final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
            subscriber.subscribe("s" + i, List.of(universe.symbols().get(i % universe.size())));
            subscribers.add(subscriber);
            sinks.add(sink);
        }
        for (int round = 0; round < 20; round++) {
            // one batch per symbol: each drain touches the 4 subscribers of one symbol
            for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
                publish(symbolId, true);
            }
        }
        for (int i = 0; i < subscribers.size(); i++) {
            assertEquals(0, subscribers.get(i).heldFrameBytes(), "subscriber " + i + " holds a buffer while idle");
            assertEquals(21, sinks.get(i).frames.size(), "the ack, then one frame per update of its symbol");
            assertTrue(sinks.get(i).frames.get(20).contains(universe.symbols().get(i % universe.size())));
        }
        // A drain lends a buffer to each subscriber it touches, and they come back as the frames are written.
        assertEquals(4, shard.frameBuffers().pooled(), "buffers the shard keeps for 200 subscribers");

        // one batch with an update of every symbol: every subscriber builds its frame at once
        for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
            publish(symbolId, symbolId == universe.size() - 1);
        }
        for (int i = 0; i < subscribers.size(); i++) {
            assertEquals(0, subscribers.get(i).heldFrameBytes(), "subscriber " + i + " holds a buffer while idle");
            assertEquals(22, sinks.get(i).frames.size());
        }
        assertEquals(200, shard.frameBuffers().pooled(), "one per subscriber touched by the drain, not two");
        assertEquals(200L * FrameBufferPool.INITIAL_FRAME_BYTES, shard.frameBuffers().pooledBytes());
    }

    @Test
    void shouldHoldOnlyTheFrameInFlightWhileTheClientIsSlow() {
        final HeldSink sink = new HeldSink();
        final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
        subscriber.subscribe("s", List.of(universe.symbols().get(0)));
        assertEquals(FrameBufferPool.INITIAL_FRAME_BYTES, subscriber.heldFrameBytes(), "the ack frame in flight");
        publish(0, true);
        publish(0, true);
        assertEquals(FrameBufferPool.INITIAL_FRAME_BYTES, subscriber.heldFrameBytes(),
            "quotes behind a frame in flight are conflated into slots, not a second frame buffer");
        sink.complete(subscriber);
        assertEquals(FrameBufferPool.INITIAL_FRAME_BYTES, subscriber.heldFrameBytes(), "the conflated quote in flight");
        sink.complete(subscriber);
        assertEquals(0, subscriber.heldFrameBytes());
        assertEquals(1, shard.frameBuffers().pooled());
    }

    @Test
    void shouldGiveBackTheBufferOfAFrameThatWillNeverBeSent() {
        final HeldSink sink = new HeldSink();
        final Subscriber subscriber = new Subscriber(sink, shard, universe, 100);
        subscriber.subscribe("s", List.of(universe.symbols().get(0)));
        subscriber.send("{\"event\":\"pong\"}");
        assertEquals(2 * FrameBufferPool.INITIAL_FRAME_BYTES, subscriber.heldFrameBytes(),
            "the frame in flight and the event queued behind it");
        subscriber.closed();
        assertEquals(FrameBufferPool.INITIAL_FRAME_BYTES, subscriber.heldFrameBytes(), "only the sink's, in flight");
        assertEquals(1, shard.frameBuffers().pooled());
    }

    @Test
    void shouldKeepNeitherLargeBuffersNorMoreThanItsLimit() {
        final FrameBufferPool pool = new FrameBufferPool(4 * FrameBufferPool.INITIAL_FRAME_BYTES);
        pool.give(new FrameBuffer(FrameBufferPool.MAX_POOLED_BUFFER_BYTES + 1));
        assertEquals(0, pool.pooled(), "too large to pool");
        for (int i = 0; i < 10; i++) {
            pool.give(new FrameBuffer(FrameBufferPool.INITIAL_FRAME_BYTES));
        }
        assertEquals(4, pool.pooled(), "the byte limit");
        pool.take();
        assertEquals(3 * FrameBufferPool.INITIAL_FRAME_BYTES, pool.pooledBytes());
    }

    private void publish(final int symbolId, final boolean endOfBatch) {
        event.quote.symbolId = symbolId;
        event.quote.timestampMicros = System.currentTimeMillis() * 1_000;
        event.seq = seq++;
        event.publishNanos = System.nanoTime();
        publisher.onEvent(event, event.seq, endOfBatch);
    }

    /** A socket that takes every frame at once, as a loopback socket with room does. */
    private static final class WrittenSink extends HeldSink {
        final List<String> frames = new ArrayList<>();

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            frames.add(StandardCharsets.UTF_8.decode(frame).toString());
            owner.frameSent();
        }
    }

    /** A socket whose writes complete only when the test says so. */
    private static class HeldSink implements FrameSink {
        private int inFlight;

        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            inFlight++;
        }

        void complete(final Subscriber owner) {
            assertEquals(1, inFlight, "one frame in flight");
            inFlight--;
            owner.frameSent();
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            inFlight++;
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
    }
}
