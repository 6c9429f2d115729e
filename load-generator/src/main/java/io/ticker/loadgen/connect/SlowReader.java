package io.ticker.loadgen.connect;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.ticker.loadgen.settings.SlowClients;
import java.util.concurrent.TimeUnit;

/**
 * Makes one connection a slow reader, on its own event loop (so no field needs synchronising): with a read rate it
 * turns auto-read off and asks for one chunk of {@link SlowClients#readChunkBytes()} every
 * {@link SlowClients#readPeriodNanos()}; with pauses it stops reading for the pause and then carries on. What it does
 * not read stays in the kernel and then in the server, which is the point: the server must conflate, not buffer.
 */
final class SlowReader {
    private final Channel channel;
    private final SlowClients how;
    private boolean paused;
    private ScheduledFuture<?> reads;
    private ScheduledFuture<?> pauses;

    private SlowReader(final Channel channel, final SlowClients how) {
        this.channel = channel;
        this.how = how;
    }

    /**
     * Sets a new channel up to read in chunks, before it connects: one read takes at most one chunk. Only needed with
     * a read rate; the receive buffer is set on the bootstrap.
     */
    static void prepare(final Channel channel, final SlowClients how) {
        if (how.readBytesPerSecond() > 0) {
            final FixedRecvByteBufAllocator chunks = new FixedRecvByteBufAllocator(how.readChunkBytes());
            chunks.maxMessagesPerRead(1);
            channel.config().setRecvByteBufAllocator(chunks);
        }
    }

    /**
     * Starts reading slowly, once the WebSocket is open; stops by itself when the channel closes. Call on the
     * channel's event loop.
     *
     * @param firstPauseNanos when the first pause starts, so that slow subscribers do not all pause together
     */
    static void start(final Channel channel, final SlowClients how, final long firstPauseNanos) {
        new SlowReader(channel, how).start(firstPauseNanos);
    }

    private void start(final long firstPauseNanos) {
        final EventLoop loop = channel.eventLoop();
        if (how.readBytesPerSecond() > 0) {
            channel.config().setAutoRead(false);
            reads = loop.scheduleAtFixedRate(this::readOneChunk, how.readPeriodNanos(), how.readPeriodNanos(),
                TimeUnit.NANOSECONDS);
        }
        if (how.pauses()) {
            pauses = loop.scheduleAtFixedRate(this::pause, firstPauseNanos, how.pauseEvery().toNanos(),
                TimeUnit.NANOSECONDS);
        }
        channel.closeFuture().addListener(f -> stop());
    }

    private void readOneChunk() {
        if (!paused && channel.isActive()) {
            channel.read();
        }
    }

    private void pause() {
        if (!channel.isActive()) {
            return;
        }
        paused = true;
        if (how.readBytesPerSecond() == 0) {
            channel.config().setAutoRead(false);
        }
        channel.eventLoop().schedule(this::resume, how.pauseFor().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void resume() {
        paused = false;
        if (how.readBytesPerSecond() == 0 && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    private void stop() {
        if (reads != null) {
            reads.cancel(false);
        }
        if (pauses != null) {
            pauses.cancel(false);
        }
    }
}
