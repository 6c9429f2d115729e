package io.ticker.server.fanout;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.Command;
import io.ticker.protocol.ErrorCode;
import io.ticker.protocol.EventJson;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One WebSocket connection's subscriptions and pending output, owned by its IO thread (its {@link FanoutShard}).
 *
 * <p>While no frame is in flight, events are appended to the frame being built ({@link FrameBuilder}) and go out at
 * the end of the shard's drain as one frame. The quote bytes are copies of the encoding the batch made once for every
 * subscriber; only the snapshot flag and the conflated count are set per subscriber, on the copy. While a frame is in
 * flight ({@link FrameInFlight}: the client is not keeping up), quotes are conflated instead ({@link ConflationSlots}),
 * so a slow client costs bounded memory and the ring never waits for it. What it follows is {@link Subscriptions}.
 *
 * <p>It is the one object the socket, the shard and the sink each hold, which is why it is longer than the classes
 * it is built from: what is left here is the order of their calls (commands, quotes, flush, frame reports, close,
 * the queued-bytes cap), and that order is what has to be read in one place.
 */
public final class Subscriber {
    /** Largest frame payload of quotes: past it the frame is sent at once and further quotes wait in the slots. */
    static final int MAX_FRAME_PAYLOAD_BYTES = 64 * 1024;

    private final FrameSink sink;
    private final FanoutShard shard;
    /** Whether output is {@code ticker.v1.binary} records rather than a JSON array. */
    private final boolean binary;
    private final Subscriptions subscriptions;
    private final FrameBuilder frame;
    private final ConflationSlots slots;
    private final FrameInFlight inFlight = new FrameInFlight();
    /** What this subscriber last added to its shard's queued total ({@link #queuedBytes()} then). */
    private long accountedQueuedBytes;
    private boolean closed;
    // The ring-to-socket hop of a frame starts when the oldest quote that went into it entered the ring, quotes that
    // conflation replaced included: this pair is for the frame being built, the frame in flight has its own.
    private boolean pendingHasQuote;
    private long pendingOldestNanos;

    /** Set by the shard while this subscriber is in its touched list. */
    boolean touched;
    /** When things happened to the connection, for the shard's housekeeping. */
    final ConnectionClock clock = new ConnectionClock();

    /** A JSON subscriber on {@code shard} writing to {@code sink}, registered with the shard. Owning thread only. */
    public Subscriber(
        final FrameSink sink,
        final FanoutShard shard,
        final SymbolUniverse universe,
        final int maxSubscriptions) {
        this(sink, shard, universe, maxSubscriptions, WireFormat.JSON);
    }

    /**
     * A subscriber on {@code shard} writing {@code format} frames to {@code sink}, registered with the shard. Owning
     * thread only.
     */
    public Subscriber(
        final FrameSink sink,
        final FanoutShard shard,
        final SymbolUniverse universe,
        final int maxSubscriptions,
        final WireFormat format) {
        this.sink = sink;
        this.shard = shard;
        this.binary = format == WireFormat.BINARY;
        this.subscriptions = new Subscriptions(this, shard, universe, maxSubscriptions);
        this.frame = new FrameBuilder(binary, shard.framePool());
        this.slots = new ConflationSlots(frame.quoteStride());
        shard.add(this);
    }

    /** The subprotocol this subscriber's frames follow. */
    public WireFormat format() {
        return binary ? WireFormat.BINARY : WireFormat.JSON;
    }

    boolean isBinary() {
        return binary;
    }

    // ---- commands (IO thread) ----
    // Commands that arrive once output has stopped (the client spoke after our close frame) are dropped: answering is
    // not allowed after a close frame, and a subscription taken then would put a closed subscriber back in the index,
    // where every quote would grow a frame that is never sent.

    /** Subscribes to the named symbols ({@code *} for all), acks, then sends the snapshot of each new one. */
    public void subscribe(final String id, final List<String> names) {
        subscribe(id, names, Command.NO_SINCE, Command.NO_EPOCH);
    }

    /**
     * Subscribes to the named symbols ({@code *} for all) and acks; with {@code since} (not {@link Command#NO_SINCE})
     * it resumes, replaying what the client missed of the newly covered symbols when the history holds it
     * ({@link Subscriptions#subscribe(String, List, long, long)}), and snapshots otherwise.
     */
    public void subscribe(final String id, final List<String> names, final long since, final long epoch) {
        if (closed) {
            return;
        }
        subscriptions.subscribe(id, names, since, epoch);
        frame.retainFor(subscriptions.coveredCount());
        flush();
    }

    /** Unsubscribes from the named symbols ({@code *} ends the firehose) and acks. */
    public void unsubscribe(final String id, final List<String> names) {
        if (closed) {
            return;
        }
        subscriptions.unsubscribe(id, names);
        frame.retainFor(subscriptions.coveredCount());
        flush();
    }

    /**
     * The feed started a new session ({@code epoch}): the quotes waiting in the slots are of the old one and are
     * dropped, what the subscriber held is forgotten (seqs start again), and the reset event goes out, then a
     * snapshot of each subscribed symbol the shard's book has from the new session. The shard flushes it.
     */
    void reset(final long epoch) {
        if (closed) {
            return;
        }
        slots.clear();
        appendEvent(EventJson.reset(epoch));
        subscriptions.newEpoch();
    }

    /** Sends one event object (an ack, a pong, a list) in order with everything else. */
    public void send(final String eventJson) {
        appendEvent(eventJson);
        flush();
    }

    /**
     * Sends the {@code symbols} answer: {@link EventJson#symbolsStart} for {@code id}, then {@code members}, the
     * universe's part encoded once for every connection. A large answer (154 KB at 20,000 symbols) to a client that
     * is not taking its frames and would pass its cap closes it without being built.
     */
    public void sendSymbols(final String id, final byte[] members) {
        if (closed) {
            return;
        }
        if (inFlight.active() && queuedBytes() + members.length > shard.maxQueuedBytesPerConnection()) {
            overQueued("not reading: more than " + shard.maxQueuedBytesPerConnection() + " bytes queued");
            return;
        }
        final byte[] start = EventJson.symbolsStart(id).getBytes(StandardCharsets.UTF_8);
        final byte[] event = Arrays.copyOf(start, start.length + members.length);
        System.arraycopy(members, 0, event, start.length, members.length);
        frame.appendEvent(event);
        flush();
    }

    /** Sends an {@code error} event; the connection stays open. */
    public void sendError(final String id, final ErrorCode code, final String message) {
        error(id, code, message);
        flush();
    }

    /** Appends an {@code error} event, counted by the shard, to the frame being built. */
    void error(final String id, final ErrorCode code, final String message) {
        shard.counters().error(code);
        appendEvent(EventJson.error(id, code, message));
    }

    /** Appends one event object to the frame being built, unless output has stopped. */
    void appendEvent(final String eventJson) {
        if (closed) {
            // nothing more goes out after a close frame: a reply built now would only hold memory
            return;
        }
        frame.appendEvent(eventJson.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends the shard book's quote of {@code symbolId} as a snapshot to the frame being built. */
    void appendSnapshot(final int symbolId) {
        frame.appendSnapshot(shard.book(), symbolId);
    }

    /**
     * Queues the updates {@code replay} collected, in seq order, marked replayed. They go into the frame being built
     * past the usual {@link #MAX_FRAME_PAYLOAD_BYTES}, up to half the connection's queued-bytes cap, because a replay
     * arrives all at once: cut into 64 KiB frames, all but the first would be conflated behind it even for a client
     * that reads at once. Past that half they go as live quotes do (the frame is sent, and what follows is conflated
     * behind it if the client has not taken it), so a resume never costs more than a slow client may hold. Not timed
     * as the ring-to-socket hop: they entered the ring long before.
     */
    void appendReplay(final HistoryReplay replay) {
        final long replayFrameBytes = Math.max(MAX_FRAME_PAYLOAD_BYTES, shard.maxQueuedBytesPerConnection() / 2);
        int delivered = 0;
        for (int i = 0, n = replay.count(); i < n && !closed; i++) {
            final byte[] bytes;
            final int from;
            final int count;
            if (binary) {
                bytes = replay.records();
                from = replay.recordOffset(i);
                count = BinaryRecords.QUOTE_LENGTH;
            } else {
                count = replay.encodeJson(i);
                bytes = replay.json();
                from = 0;
            }
            if (!inFlight.active() && frame.payloadBytes() + count > replayFrameBytes) {
                flush();
            }
            if (!inFlight.active()) {
                frame.appendQuote(bytes, from, count);
                delivered++;
            } else if (slots.offer(replay.symbolId(i), bytes, from, count)) {
                delivered++;
            } else {
                shard.counters().conflated();
            }
        }
        shard.counters().replayed(delivered);
        replay.release();
    }

    /** Drops the pending quote of {@code symbolId}, if one waits in a slot; returns whether one did. */
    boolean dropPending(final int symbolId) {
        return slots.drop(symbolId);
    }

    // ---- lifecycle (IO thread, except heard()) ----

    /** Answers the client's WebSocket ping; it goes out in order with the frames before it. */
    public void pong(final ByteBuffer payload) {
        if (!closed) {
            sink.sendPong(payload);
        }
    }

    /** The client sent its close frame: output stops, the close is answered, and the connection ends. */
    public void peerClosed(final int code) {
        if (!closed) {
            stopOutput();
        }
        sink.peerClosed(code);
    }

    /** The client sent a command (a whole text message, valid or not). Owning thread only. */
    public void commandReceived() {
        clock.commandReceived();
    }

    /** Records that the client showed a sign of life (any frame, pong included). Any thread. */
    public void heard() {
        clock.heard();
    }

    /** Sends a close frame with {@code code} and stops all output; the channel closes when the peer answers. */
    public void close(final int code, final String reason) {
        if (closed) {
            return;
        }
        stopOutput();
        sink.sendClose(code, reason);
    }

    /** Sends a close frame with {@code code} and drops the connection as soon as it is written. */
    public void closeAndDisconnect(final int code, final String reason) {
        if (closed) {
            return;
        }
        stopOutput();
        sink.sendCloseThenDisconnect(code, reason);
    }

    /** Whether output has stopped: a close frame was sent or the channel failed. */
    boolean isClosing() {
        return closed;
    }

    /** How long the frame in flight has been waiting for the client to take it; 0 when none is. */
    long stalledNanos(final long nowNanos) {
        return inFlight.stalledNanos(nowNanos);
    }

    /** Drops the connection without a close handshake: the peer did not answer in time. */
    void abort() {
        sink.abort();
    }

    private void stopOutput() {
        closed = true;
        clock.closing();
        shard.detach(this, subscriptions);
        subscriptions.clear();
        // Nothing more goes out: what was queued is garbage now, not in a few seconds when the socket is gone.
        slots.release();
        frame.retainFor(0);
        frame.release();
        pendingHasQuote = false;
        shard.addQueuedBytes(-accountedQueuedBytes);
        accountedQueuedBytes = 0;
    }

    /** Sends a WebSocket ping; the pong (or any other frame) proves the client alive. */
    void ping() {
        if (!closed) {
            sink.sendPing();
        }
    }

    /** The channel has closed: forget the subscriber. Runs once, from the channel's close task. */
    public void closed() {
        if (!closed) {
            stopOutput();
        }
        shard.remove(this);
    }

    // ---- quotes (IO thread, per update) ----

    /**
     * Queues one update that entered the ring at {@code publishNanos}, given in both encodings: its JSON object
     * ({@code length} bytes of {@code json} from {@code offset}) and its binary record (of {@code records} from
     * {@code recordOffset}); the subscriber takes the one of its format. Returns false if it replaced an unsent older
     * quote of the same symbol (conflation).
     */
    boolean offerQuote(
        final int symbolId,
        final byte[] json,
        final int offset,
        final int length,
        final byte[] records,
        final int recordOffset,
        final long publishNanos) {
        final byte[] bytes = binary ? records : json;
        final int from = binary ? recordOffset : offset;
        final int count = binary ? BinaryRecords.QUOTE_LENGTH : length;
        if (!inFlight.active() && frame.payloadBytes() + count > MAX_FRAME_PAYLOAD_BYTES) {
            // A full frame goes now, so that what follows is conflated if the client cannot take it: otherwise an IO
            // thread that fell behind would append every update of its backlog of batches to every subscriber's
            // frame (enough for an OutOfMemoryError with 50 firehose subscribers and compression on).
            flush();
        }
        if (!pendingHasQuote) {
            pendingHasQuote = true;
            pendingOldestNanos = publishNanos;
        }
        if (!inFlight.active()) {
            frame.appendQuote(bytes, from, count);
            return true;
        }
        return slots.offer(symbolId, bytes, from, count);
    }

    /**
     * Sends what is pending as one frame, unless a frame is still in flight. A socket with room takes the frame
     * during the call, and the next frame is built in the same buffer; only a frame the sink must keep moves the
     * building to the spare buffer.
     */
    void flush() {
        if (inFlight.active() || closed || (frame.isEmpty() && slots.count() == 0)) {
            accountQueued();
            return;
        }
        slots.moveTo(frame);
        final int payloadBytes = frame.payloadBytes() + (binary ? 0 : 1);
        final ByteBuffer payload = frame.finish();
        inFlight.startOwn(payloadBytes, pendingHasQuote, pendingOldestNanos);
        shard.counters().frame(payloadBytes);
        pendingHasQuote = false;
        // The sink owns the bytes until frameSent() or frameFailed(); nothing writes to them before then.
        if (binary) {
            sink.sendBinary(payload, this);
        } else {
            sink.sendText(payload, this);
        }
        if (inFlight.stillInCall()) {
            inFlight.keep(frame.handOver());
        } else if (!closed) {
            // sent during the call, but maybe too large to keep for the connection's life
            frame.afterSentInCall();
        }
        accountQueued();
    }

    /**
     * Bytes held for a client that has not taken its last frame: that frame, and everything queued behind it (the
     * frame being built, conflation slots). 0 while nothing is in flight: what is built then goes out at the end of
     * the drain or command that built it.
     */
    long queuedBytes() {
        return inFlight.active() && !closed ? inFlight.payloadBytes() + frame.payloadBytes() + slots.bytesHeld() : 0;
    }

    /**
     * Brings the shard's queued total up to date with this subscriber's, at the end of every flush (each command,
     * each drain that touched it, each frame taken), and closes the subscriber if it holds more than its cap or
     * grows while the shard is over its share of the server's budget: such a client is not reading, and what it
     * would hold is memory every other client needs. No allocation: this runs on the per-update path.
     */
    private void accountQueued() {
        final long queued = queuedBytes();
        final long grown = queued - accountedQueuedBytes;
        if (grown == 0) {
            return;
        }
        shard.addQueuedBytes(grown);
        accountedQueuedBytes = queued;
        if (closed || grown < 0) {
            return;
        }
        if (queued > shard.maxQueuedBytesPerConnection()) {
            overQueued("not reading: more than " + shard.maxQueuedBytesPerConnection() + " bytes queued");
        } else if (shard.overQueuedBudget()) {
            overQueued("not reading while the server is short of memory for queued output");
        }
    }

    /** Housekeeping: the shard is over its queued-bytes budget and this subscriber holds the most. */
    void closeOverBudget() {
        if (!closed && queuedBytes() > 0) {
            overQueued("not reading while the server is short of memory for queued output");
        }
    }

    /** Cold path: closes a client that queues too much, and frees what it queued. */
    private void overQueued(final String reason) {
        shard.counters().closedOverQueueLimit();
        // answered by a client that reads; one that does not is reset by housekeeping (Liveness.CLOSE_LINGER_NANOS)
        close(CloseCodes.POLICY_VIOLATION, reason);
    }

    /** The sink finished the frame in flight: send what queued up meanwhile. Owning thread only. */
    public void frameSent() {
        if (!inFlight.active()) {
            // Nothing in flight. A sink reports each frame once (WebSocketFrameSink drops Undertow's second report
            // of a frame): a second report while the next frame is in flight could not be told from its own.
            return;
        }
        if (inFlight.hasQuote()) {
            shard.counters().ringToSocket(System.nanoTime() - inFlight.oldestNanos());
        }
        final FrameBuffer kept = inFlight.end();
        if (kept != null) {
            frame.sent(kept);
        }
        flush();
    }

    /** The sink could not send the frame in flight: the connection is broken, so output stops for good. */
    public void frameFailed() {
        inFlight.end();
        if (!closed) {
            stopOutput();
        }
        sink.abort();
    }

    // ---- the shard's shared firehose frame (IO thread, per drain) ----

    /**
     * Whether the shard's shared firehose frame is exactly what this subscriber's next frame would be: a firehose
     * subscriber with nothing of its own pending or in flight, on a sink that can write a frame it does not own.
     */
    boolean canShareFrames() {
        return subscriptions.isFirehose() && !inFlight.active() && !closed && frame.isEmpty() && slots.count() == 0
            && sink.sharesFrames();
    }

    /**
     * Sends the shard's shared frame as this subscriber's next frame; only after {@link #canShareFrames()}. Returns
     * whether the subscriber can still share, false when the socket could not take the whole frame: the sink then
     * keeps the rest, and quotes conflate behind it as behind any frame in flight.
     */
    boolean sendShared(final FirehoseFrame shared) {
        inFlight.startShared(shared.payloadLength(), shared.oldestNanos());
        shard.counters().frame(shared.payloadLength());
        // A socket that takes the whole frame reports it sent before this returns.
        sink.sendShared(shared.view(), binary, this);
        return canShareFrames();
    }
}
