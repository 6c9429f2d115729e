package io.ticker.loadgen.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.loadgen.measure.RecordingWindow;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.measure.SeqTracker;
import io.ticker.loadgen.settings.SlowClients;
import io.ticker.protocol.EventType;
import io.ticker.protocol.FrameListener;
import java.util.SplittableRandom;

/**
 * One simulated client: its symbols, its connection (re-made on {@code --reconnect}), its {@code seq} order state and
 * its counts in the window. Every method runs on the connection's event loop, so the fields need no synchronisation;
 * totals go to {@link RunCounters} once per frame.
 */
public final class SimulatedClient implements FrameListener {
    private final int index;
    private final int loop;
    private final ClientPool pool;
    private final String subscribeCommand;
    private final int[] symbolIds;
    private final boolean observer;
    private final boolean slow;
    private final SeqTracker seqs;
    private final SplittableRandom jitter;

    private int endpointIndex;
    private int failedAttempts;
    private boolean everUp;
    private Channel channel;
    private long connectStartNanos;
    private long tcpConnectedNanos;
    private boolean up;

    private long receivedInWindow;
    private boolean caughtUp;
    private long conflatedInWindow;
    private long seqViolations;

    private long frameNowMicros;
    private long frameWindowStartMicros;
    private long frameWindowEndMicros;
    private long frameQuotes;
    private long frameWindowQuotes;
    private long frameSnapshots;
    private long frameConflated;
    private long frameWindowConflated;
    private long frameViolations;
    private long frameNegative;

    SimulatedClient(final int index, final int loop, final ClientPool pool, final String subscribeCommand,
        final int[] symbolIds, final boolean observer, final long seed) {
        this.index = index;
        this.loop = loop;
        this.pool = pool;
        this.subscribeCommand = subscribeCommand;
        this.symbolIds = symbolIds;
        this.observer = observer;
        this.slow = !observer && pool.settings().slowClients().isSlow(index);
        this.seqs = new SeqTracker(symbolIds == null ? pool.symbols().size() : symbolIds.length);
        this.jitter = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        this.endpointIndex = Math.floorMod(index, pool.endpointCount());
    }

    /** The subscriber's number, 0-based (the observer is -1). */
    public int index() {
        return index;
    }

    /** The event loop that owns this subscriber. */
    public int loop() {
        return loop;
    }

    /** The symbol ids subscribed to, or null for the firehose. */
    public int[] symbolIds() {
        return symbolIds;
    }

    /** Live quotes received whose {@code ts} is in the window. Read after the loops stopped. */
    public long receivedInWindow() {
        return receivedInWindow;
    }

    /** Sum of {@code conflated} over those quotes. Read after the loops stopped. */
    public long conflatedInWindow() {
        return conflatedInWindow;
    }

    /** Whether this subscriber reads slowly ({@code --slow-fraction}). */
    public boolean isSlow() {
        return slow;
    }

    /** Live quotes whose {@code seq} did not exceed the last one of their symbol here. Read after the loops stopped. */
    public long seqViolations() {
        return seqViolations;
    }

    int endpointIndex() {
        return endpointIndex;
    }

    String subscribeCommand() {
        return subscribeCommand;
    }

    /** Whether this is the delivery observer, the generator's own instrument rather than a subscriber. */
    public boolean isObserver() {
        return observer;
    }

    void connecting(final Channel newChannel, final long startNanos) {
        channel = newChannel;
        connectStartNanos = startNanos;
        tcpConnectedNanos = 0;
    }

    /** TCP is up; the upgrade starts now. */
    void tcpConnected(final long nowNanos) {
        tcpConnectedNanos = nowNanos;
    }

    Channel channel() {
        return channel;
    }

    /** The upgrade completed: count the connection, time it, subscribe. */
    void onOpen() {
        up = true;
        if (observer) {
            // the observer is the generator's own instrument: it stays out of the subscribers' figures
            return;
        }
        if (everUp || failedAttempts > 0) {
            pool.counters().reconnects.increment();
            // The server may be a restarted one with a new feed: each symbol's first quote may start its order over.
            seqs.newEpoch();
        }
        everUp = true;
        failedAttempts = 0;
        pool.counters().up();
        final long now = System.nanoTime();
        pool.recorder().recordConnect((now - connectStartNanos) / 1_000);
        if (tcpConnectedNanos != 0) {
            pool.recorder().recordUpgrade((now - tcpConnectedNanos) / 1_000);
        }
        if (slow) {
            final SlowClients how = pool.settings().slowClients();
            SlowReader.start(channel, how, how.pauses() ? jitter.nextLong(how.pauseEvery().toNanos()) : 0);
        }
    }

    /** The connect or upgrade failed; {@code kind} names how. */
    void onConnectFailed(final String kind) {
        if (observer) {
            pool.counters().error("observer:" + kind);
            return;
        }
        pool.counters().connectFailures.increment();
        pool.counters().error(kind);
        failedAttempts++;
        retry();
    }

    /** The channel closed, for whatever reason. */
    void onClosed() {
        if (!up) {
            return;
        }
        up = false;
        if (observer) {
            if (pool.isRunning()) {
                pool.observer().markLost();
            }
            return;
        }
        pool.counters().connectionsUp.decrementAndGet();
        if (pool.isRunning()) {
            pool.counters().disconnects.increment();
            failedAttempts++;
            retry();
        }
    }

    private void retry() {
        if (!pool.isRunning() || !pool.settings().reconnect()) {
            return;
        }
        // fail over: the next attempt goes to the next URL, so a dead server sheds its clients onto the others
        endpointIndex = (endpointIndex + 1) % pool.endpointCount();
        final long capMs = pool.settings().reconnectMaxDelay().toMillis();
        final long baseMs = pool.settings().reconnectInitialDelay().toMillis();
        final long ceiling = Math.min(capMs, baseMs << Math.min(20, failedAttempts - 1));
        // "equal jitter": at least half the backoff, so that a mass disconnect does not reconnect in one burst
        final long delayMs = ceiling / 2 + jitter.nextLong(ceiling / 2 + 1);
        pool.scheduleConnect(this, delayMs);
    }

    /** Scans one text frame: a JSON array of events, on either subprotocol. */
    void onText(final ByteBuf content) {
        onFrame(content, false);
    }

    /** Scans one binary frame: {@code ticker.v1.binary} records. */
    void onBinary(final ByteBuf content) {
        onFrame(content, true);
    }

    private void onFrame(final ByteBuf content, final boolean binary) {
        frameNowMicros = pool.clock().nowMicros();
        // the window's bounds are read once per frame rather than twice per quote (they are volatile)
        frameWindowStartMicros = pool.window().startMicros();
        frameWindowEndMicros = pool.window().endMicros();
        frameQuotes = 0;
        frameWindowQuotes = 0;
        frameSnapshots = 0;
        frameConflated = 0;
        frameWindowConflated = 0;
        frameViolations = 0;
        frameNegative = 0;
        final int bytes = content.readableBytes();
        if (binary) {
            pool.binaryScanner(loop).scan(content, this);
        } else {
            pool.scanner(loop).scan(content, this);
        }
        if (observer) {
            return;
        }
        final RunCounters counters = pool.counters();
        counters.frames.increment();
        counters.bytes.add(bytes);
        if (frameQuotes != 0) {
            counters.quotes.add(frameQuotes);
            counters.conflated.add(frameConflated);
        }
        if (frameWindowQuotes != 0) {
            // a frame belongs to the window when it carries window quotes, so quotes per frame compares like with like
            counters.windowFrames.increment();
            counters.windowBytes.add(bytes);
            counters.windowQuotes.add(frameWindowQuotes);
            counters.windowConflated.add(frameWindowConflated);
        }
        if (frameSnapshots != 0) {
            counters.snapshots.add(frameSnapshots);
        }
        if (frameViolations != 0) {
            counters.seqViolations.add(frameViolations);
            seqViolations += frameViolations;
        }
        final long rebases = seqs.takeRebases();
        if (rebases != 0) {
            counters.seqRebases.add(rebases);
        }
        if (frameNegative != 0) {
            counters.negativeLatencies.add(frameNegative);
        }
    }

    @Override
    public void onQuote(final byte[] frame, final int symbolOffset, final int symbolLength, final long seq,
        final long tsMicros, final boolean snapshot, final long conflated) {
        int id = pool.symbols().find(frame, symbolOffset, symbolLength);
        if (id == SymbolTable.UNKNOWN) {
            id = pool.symbols().findOrAdd(frame, symbolOffset, symbolLength);
        }
        if (snapshot) {
            frameSnapshots++;
            if (seq >= 0 && !seqs.snapshot(id, seq, tsMicros)) {
                frameViolations++;
            }
            return;
        }
        if (seq >= 0 && !seqs.advance(id, seq, tsMicros)) {
            frameViolations++;
        }
        if (tsMicros < 0) {
            pool.counters().error("quote-without-ts");
            return;
        }
        // the conflated count covers the updates made since the symbol's previous quote on this connection
        final long previousTsMicros = seq >= 0 ? seqs.replacedTs() : -1;
        final long conflatedInWindowShare = RecordingWindow.conflatedInside(
            conflated, previousTsMicros, tsMicros, frameWindowStartMicros, frameWindowEndMicros);
        final RecordingWindow.Position position = tsMicros < frameWindowStartMicros ? RecordingWindow.Position.BEFORE
            : tsMicros < frameWindowEndMicros ? RecordingWindow.Position.INSIDE : RecordingWindow.Position.AFTER;
        if (position == RecordingWindow.Position.AFTER && !caughtUp) {
            // frames arrive in order, so a quote made after the window means this connection has every window quote
            caughtUp = true;
            if (observer) {
                pool.observer().markCaughtUp();
            } else {
                pool.counters().caughtUp.increment();
            }
        }
        if (observer) {
            pool.observer().count(id, position == RecordingWindow.Position.INSIDE ? 1 : 0, conflatedInWindowShare);
            return;
        }
        conflatedInWindow += conflatedInWindowShare;
        frameQuotes++;
        frameConflated += conflated;
        long latency = frameNowMicros - tsMicros;
        if (latency < 0) {
            frameNegative++;
            latency = 0;
        }
        if (slow) {
            // kept apart: a slow reader's latency is its own doing, not the server's
            if (position == RecordingWindow.Position.INSIDE) {
                pool.recorder().recordSlowWindow(loop, latency);
                frameWindowQuotes++;
                frameWindowConflated += conflated;
                receivedInWindow++;
            }
        } else if (position == RecordingWindow.Position.INSIDE) {
            pool.recorder().recordWindow(loop, latency);
            frameWindowQuotes++;
            frameWindowConflated += conflated;
            receivedInWindow++;
        } else if (position == RecordingWindow.Position.BEFORE) {
            pool.recorder().recordWarmup(loop, latency);
        }
    }

    @Override
    public void onAck(final EventType type) {
        if (type == EventType.SUBSCRIBED) {
            if (observer) {
                pool.observer().markSubscribed(pool.clock().nowMicros());
            } else {
                pool.counters().subscribed.increment();
            }
        }
    }

    @Override
    public void onPong(final long tsMicros) {
        // the generator sends no application pings; a pong is harmless
    }

    @Override
    public void onError(final String code) {
        pool.counters().error("server:" + (code.isEmpty() ? "no-code" : code));
    }

    @Override
    public void onUnknownEvent() {
        pool.counters().error("unknown-event-type");
    }

    @Override
    public void onMalformed(final String reason) {
        pool.counters().error("malformed-frame");
    }
}
