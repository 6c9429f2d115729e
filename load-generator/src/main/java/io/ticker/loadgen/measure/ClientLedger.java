package io.ticker.loadgen.measure;

import io.netty.buffer.ByteBuf;
import io.ticker.loadgen.decode.ByteBufScanner;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.protocol.EventType;
import io.ticker.protocol.FrameListener;
import io.ticker.protocol.Recovery;

/**
 * What one simulated client received, as the scanners report it: latency per live quote, {@code seq} order per
 * symbol (forgotten at a feed {@code reset}, when seq starts over), snapshots, conflation, replayed quotes, what it
 * accounts for per symbol in the window ({@link SymbolCounts}), where it can resume ({@link ResumePoint}), and the
 * client's counts in the window. The connection side
 * ({@code connect.SimulatedClient}) hands it every frame; it survives reconnects, since {@code seq} is global to the
 * feed. Every method runs on the client's event loop, so the fields need no synchronisation; totals go to
 * {@link RunCounters} once per frame, not once per quote.
 */
public final class ClientLedger implements FrameListener {
    private final int loop;
    private final boolean observer;
    private final boolean slow;
    private final int[] symbolIds;
    private final SymbolTable symbols;
    private final RunCounters counters;
    private final LatencyRecorder recorder;
    private final EpochClock clock;
    private final RecordingWindow window;
    private final DeliveryObserver deliveryObserver;
    private final SeqTracker seqs;
    private final SymbolCounts accounted;
    private final ResumePoint resume = new ResumePoint();

    private long receivedInWindow;
    private boolean caughtUp;
    private long conflatedInWindow;
    private long seqViolations;
    private long epoch = -1;
    private boolean reconnected;

    private long frameNowMicros;
    private long frameWindowStartMicros;
    private long frameWindowEndMicros;
    private long frameQuotes;
    private long frameWindowQuotes;
    private long frameSnapshots;
    private long frameConflated;
    private long frameWindowConflated;
    private long frameViolations;
    private long frameReplayed;
    private long frameNegative;

    /**
     * The ledger of one client.
     *
     * @param loop the event loop that owns the client (its latency recorder)
     * @param observer whether the client is the delivery observer, which counts into {@code deliveryObserver} only
     * @param slow whether the client reads slowly, so that its latency is kept apart
     * @param symbolIds its symbols, or null for the firehose
     */
    public ClientLedger(final int loop, final boolean observer, final boolean slow, final int[] symbolIds,
        final Sinks sinks) {
        this.loop = loop;
        this.observer = observer;
        this.slow = slow;
        this.symbolIds = symbolIds;
        this.symbols = sinks.symbols();
        this.counters = sinks.counters();
        this.recorder = sinks.recorder();
        this.clock = sinks.clock();
        this.window = sinks.window();
        this.deliveryObserver = sinks.observer();
        this.seqs = new SeqTracker(symbolIds == null ? symbols.size() : symbolIds.length);
        this.accounted = new SymbolCounts(symbolIds, symbols.size());
    }

    /**
     * What every ledger of a run reports into, shared by all of them.
     *
     * @param symbols symbol names to ids
     * @param counters the run's totals
     * @param recorder the run's latency and connect-time recorders
     * @param clock the wall clock in microseconds
     * @param window the recorded window
     * @param observer the delivery observer's per-symbol counts
     */
    public record Sinks(SymbolTable symbols, RunCounters counters, LatencyRecorder recorder, EpochClock clock,
        RecordingWindow window, DeliveryObserver observer) {
    }

    /** The symbol ids subscribed to, or null for the firehose. */
    public int[] symbolIds() {
        return symbolIds;
    }

    /** Whether this is the delivery observer, the generator's own instrument rather than a subscriber. */
    public boolean isObserver() {
        return observer;
    }

    /** Whether this client reads slowly ({@code --slow-fraction}). */
    public boolean isSlow() {
        return slow;
    }

    /** Live quotes received whose {@code ts} is in the window. Read after the loops stopped. */
    public long receivedInWindow() {
        return receivedInWindow;
    }

    /** Sum of {@code conflated} over those quotes. Read after the loops stopped. */
    public long conflatedInWindow() {
        return conflatedInWindow;
    }

    /** Live quotes whose {@code seq} did not exceed the last one of their symbol here. Read after the loops stopped. */
    public long seqViolations() {
        return seqViolations;
    }

    /**
     * Updates of {@code symbolId} made in the window that this client accounts for: received as themselves or counted
     * in a {@code conflated}. Read after the loops stopped.
     */
    public long accountedInWindow(final int symbolId) {
        return accounted.get(symbolId);
    }

    /** Where this client resumes after a reconnect. Touched only by its event loop. */
    public ResumePoint resumePoint() {
        return resume;
    }

    /**
     * The connection came back, possibly to a restarted server: unless the answer to the subscribe says the resume
     * recovered in the same epoch, each symbol's first quote may start its order over.
     */
    public void reconnected() {
        reconnected = true;
    }

    /** Scans one frame with {@code scanner} and adds what it held to the client's and the run's counts. */
    public void frame(final ByteBuf content, final ByteBufScanner scanner) {
        frameNowMicros = clock.nowMicros();
        // the window's bounds are read once per frame rather than twice per quote (they are volatile)
        frameWindowStartMicros = window.startMicros();
        frameWindowEndMicros = window.endMicros();
        frameQuotes = 0;
        frameWindowQuotes = 0;
        frameSnapshots = 0;
        frameConflated = 0;
        frameWindowConflated = 0;
        frameViolations = 0;
        frameReplayed = 0;
        frameNegative = 0;
        final int bytes = content.readableBytes();
        scanner.scan(content, this);
        if (observer) {
            return;
        }
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
        if (frameReplayed != 0) {
            counters.replayed.add(frameReplayed);
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
        onQuote(frame, symbolOffset, symbolLength, seq, tsMicros, snapshot, false, conflated);
    }

    @Override
    public void onQuote(final byte[] frame, final int symbolOffset, final int symbolLength, final long seq,
        final long tsMicros, final boolean snapshot, final boolean replayed, final long conflated) {
        resume.received(seq);
        int id = symbols.find(frame, symbolOffset, symbolLength);
        if (id == SymbolTable.UNKNOWN) {
            id = symbols.findOrAdd(frame, symbolOffset, symbolLength);
        }
        if (snapshot) {
            frameSnapshots++;
            if (seq >= 0 && !seqs.snapshot(id, seq, tsMicros)) {
                frameViolations++;
            }
            return;
        }
        if (replayed) {
            frameReplayed++;
        }
        if (seq >= 0 && !seqs.advance(id, seq, tsMicros)) {
            // not above the symbol's last seq here: an update already had (a duplicate) or one older than it, so it
            // is not counted as delivered, which would hide a lost update of the same symbol
            frameViolations++;
            return;
        }
        if (tsMicros < 0) {
            counters.error("quote-without-ts");
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
                deliveryObserver.markCaughtUp();
            } else {
                counters.caughtUp.increment();
            }
        }
        if (observer) {
            deliveryObserver.count(id, position == RecordingWindow.Position.INSIDE ? 1 : 0, conflatedInWindowShare);
            return;
        }
        conflatedInWindow += conflatedInWindowShare;
        accounted.add(id, (position == RecordingWindow.Position.INSIDE ? 1 : 0) + conflatedInWindowShare);
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
                recorder.recordSlowWindow(loop, latency);
                frameWindowQuotes++;
                frameWindowConflated += conflated;
                receivedInWindow++;
            }
        } else if (position == RecordingWindow.Position.INSIDE) {
            recorder.recordWindow(loop, latency);
            frameWindowQuotes++;
            frameWindowConflated += conflated;
            receivedInWindow++;
        } else if (position == RecordingWindow.Position.BEFORE) {
            recorder.recordWarmup(loop, latency);
        }
    }

    @Override
    public void onAck(final EventType type, final long ackEpoch, final Recovery recovery, final String reason) {
        if (type == EventType.SUBSCRIBED) {
            if (resume.takeAsked() && !observer) {
                counters.resumeAnswered(recovery, reason);
            }
            if (reconnected) {
                reconnected = false;
                if (recovery != Recovery.RECOVERED || ackEpoch <= 0 || ackEpoch != epoch) {
                    // a plain subscribe, or another feed session: each symbol's first quote may start its order over
                    seqs.newEpoch();
                }
            }
            resume.epoch(ackEpoch);
        }
        onAck(type, ackEpoch);
    }

    @Override
    public void onAck(final EventType type, final long ackEpoch) {
        if (type == EventType.SUBSCRIBED) {
            // epoch 0 is a server that has not heard its feed yet: no session to compare with
            if (ackEpoch > 0 && epoch > 0 && ackEpoch != epoch) {
                // subscribed again (after a reconnect) to a feed that restarted meanwhile: its seq started over
                seqs.forget();
            }
            if (ackEpoch > 0) {
                epoch = ackEpoch;
                if (!observer) {
                    counters.epochSeen(ackEpoch, false);
                }
            }
            if (observer) {
                deliveryObserver.markSubscribed(clock.nowMicros());
            } else {
                counters.subscribed.increment();
            }
        }
    }

    @Override
    public void onReset(final long resetEpoch) {
        // fresh snapshots follow and seq starts over: order from before the reset says nothing about what follows
        seqs.forget();
        epoch = resetEpoch;
        resume.epoch(resetEpoch);
        if (!observer) {
            counters.resetEvents.increment();
            counters.epochSeen(resetEpoch, true);
        }
    }

    @Override
    public void onPong(final long tsMicros) {
        // the generator sends no application pings; a pong is harmless
    }

    @Override
    public void onError(final String code) {
        counters.error("server:" + (code.isEmpty() ? "no-code" : code));
    }

    @Override
    public void onUnknownEvent() {
        counters.error("unknown-event-type");
    }

    @Override
    public void onMalformed(final String reason) {
        counters.error("malformed-frame");
    }
}
