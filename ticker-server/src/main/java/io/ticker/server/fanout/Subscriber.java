package io.ticker.server.fanout;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.Command;
import io.ticker.protocol.ErrorCode;
import io.ticker.protocol.EventJson;
import io.ticker.protocol.QuoteBinaryEncoder;
import io.ticker.protocol.QuoteJsonEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntHashSet;

/**
 * One WebSocket connection's subscriptions and pending output, owned by its IO thread (its {@link FanoutShard}).
 *
 * <p>While no frame is in flight, events are appended to the frame being built and go out at the end of the shard's
 * drain as one frame: a JSON array in a text frame on {@code ticker.v1.json}, records back to back in a binary frame
 * on {@code ticker.v1.binary} ({@link WireFormat}). Either way the quote bytes are copies of the encoding the batch
 * made once for every subscriber; only the snapshot flag and the conflated count are set per subscriber, on the
 * copy. While a frame is in flight (the client is not keeping up), quotes are conflated instead:
 * at most one pending quote per symbol, the newest, counting the ones it replaced, so a slow client costs bounded
 * memory and the ring never waits for it.
 */
public final class Subscriber {
    /**
     * Frame buffers up to this size are always kept for reuse; larger ones only while they fit what this subscriber
     * can be sent at once (see {@link #retainedFrameBytes()}), so that a one-off large frame does not pin memory for
     * the connection's life.
     */
    static final int MAX_RETAINED_FRAME_BYTES = 64 * 1024;
    /** Ceiling of {@link #retainedFrameBytes()}, for firehose subscribers of a large universe. */
    static final int MAX_RETAINED_FRAME_BYTES_BUSY = 1024 * 1024;
    /** Largest frame payload of quotes: past it the frame is sent at once and further quotes wait in the slots. */
    static final int MAX_FRAME_PAYLOAD_BYTES = 64 * 1024;
    /** A frame of a few quotes; most subscribers never need more, and a server may hold tens of thousands idle. */
    private static final int INITIAL_FRAME_BYTES = 512;
    /** Where a frame's payload starts in its buffer: the bytes before it are the sink's, for the frame header. */
    private static final int PAYLOAD_START = FrameSink.HEADER_ROOM;
    private static final int NO_SLOT = -1;
    static final long PING_UNSCHEDULED = Long.MIN_VALUE;
    // What is in flight. A frame the socket takes during the call (the usual case) leaves nothing in flight, and the
    // next frame is built in the same buffer; a second buffer exists only once a frame has had to wait in the sink.
    /** No frame in flight. */
    private static final int SENDING_NONE = 0;
    /** {@link #frame} itself is with the sink, during the call that hands it over. */
    private static final int SENDING_IN_CALL = 1;
    /** {@link #sendingFrame} is with the sink: the socket did not take it all during the call. */
    private static final int SENDING_KEPT = 2;
    /** The shard's shared frame: its rest is the sink's copy, nothing this subscriber keeps. */
    private static final int SENDING_SHARED = 3;

    private final FrameSink sink;
    private final FanoutShard shard;
    private final SymbolUniverse universe;
    private final int maxSubscriptions;
    /** Whether output is {@code ticker.v1.binary} records rather than a JSON array. */
    private final boolean binary;
    /** Bytes per conflation slot: room for the longest quote of the format. */
    private final int slotStride;

    // One subscription model: symbols by name and the firehose. A symbol is covered by either or both, and a covered
    // symbol is indexed once (the firehose list, or the symbol's list when not on the firehose), so each of its
    // quotes reaches the subscriber once; its snapshot goes out only when it becomes covered (see SeqsHeld).
    private final IntHashSet symbols = new IntHashSet();
    private boolean firehose;
    private final SeqsHeld seqsHeld = new SeqsHeld();

    private FrameBuffer frame = new FrameBuffer(INITIAL_FRAME_BYTES);
    /** End of the payload built so far in {@link #frame}; {@link #PAYLOAD_START} when it is empty. */
    private int frameEnd = PAYLOAD_START;
    private FrameBuffer spareFrame;
    private FrameBuffer sendingFrame;
    private int sending = SENDING_NONE;
    private long inFlightSinceNanos;
    /** Payload bytes of the frame in flight: the sink holds them (or their rest) until the client takes them. */
    private int inFlightBytes;
    /** What this subscriber last added to its shard's queued total ({@link #queuedBytes()} then). */
    private long accountedQueuedBytes;
    private boolean closed;
    private long closingSinceNanos;
    // The ring-to-socket hop of a frame starts when the oldest quote that went into it entered the ring, quotes that
    // conflation replaced included; one pair for the frame being built, one for the frame in flight.
    private boolean pendingHasQuote;
    private long pendingOldestNanos;
    private boolean sendingHasQuote;
    private long sendingOldestNanos;

    private Int2IntHashMap slotBySymbol;
    private int[] slotSymbols;
    private int[] slotLengths;
    private long[] slotConflated;
    private byte[] slotBytes;
    private int slotCount;

    /** Set by the shard while this subscriber is in its touched list. */
    boolean touched;
    /** When the shard pings this subscriber next (its clock, its housekeeping thread). */
    long nextPingNanos = PING_UNSCHEDULED;
    private volatile long lastHeardNanos = System.nanoTime();
    private final long connectedNanos = System.nanoTime();
    /** Whether the client has sent a command: one that never does only holds a slot (see --idle-timeout). */
    private boolean commanded;

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
        this.universe = universe;
        this.maxSubscriptions = maxSubscriptions;
        this.binary = format == WireFormat.BINARY;
        this.slotStride = binary ? BinaryRecords.QUOTE_LENGTH : QuoteJsonEncoder.MAX_QUOTE_LENGTH;
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

    /**
     * Subscribes to the named symbols ({@code *} for all), acks, then sends the snapshot of each new one. Commands
     * that arrive once output has stopped (the client spoke after our close frame) are dropped: answering is not
     * allowed after a close frame, and a subscription taken then would put a closed subscriber back in the index,
     * where every quote would grow a frame that is never sent.
     */
    public void subscribe(final String id, final List<String> names) {
        if (closed) {
            return;
        }
        if (names.contains(Command.ALL_SYMBOLS)) {
            subscribeAll(id);
            return;
        }
        final List<String> accepted = new ArrayList<>(names.size());
        final List<String> unknown = new ArrayList<>();
        final IntHashSet added = new IntHashSet();
        for (final String name : names) {
            final int symbolId = universe.idOf(name);
            if (symbolId < 0) {
                unknown.add(name);
                continue;
            }
            if (!symbols.contains(symbolId) && symbols.size() + added.size() >= maxSubscriptions) {
                error(id, ErrorCode.SUBSCRIPTION_LIMIT, "subscribing to " + name + " would exceed the limit of "
                    + maxSubscriptions + " symbols per connection");
                break;
            }
            if (!accepted.contains(name)) {
                accepted.add(name);
            }
            if (!symbols.contains(symbolId)) {
                added.add(symbolId);
            }
        }
        if (!unknown.isEmpty()) {
            error(id, ErrorCode.UNKNOWN_SYMBOL, "unknown symbol" + (unknown.size() > 1 ? "s " : " ")
                + String.join(", ", unknown.subList(0, Math.min(unknown.size(), 20))));
        }
        if (!accepted.isEmpty()) {
            appendEvent(EventJson.subscribed(id, accepted, shard.epoch(), openPricesOf(accepted)));
            final IntHashSet.IntIterator newIds = added.iterator();
            while (newIds.hasNext()) {
                final int symbolId = newIds.nextValue();
                symbols.add(symbolId);
                if (!firehose) {
                    // newly covered; on the firehose it already was, and has every quote of it
                    shard.index(this, symbolId);
                    appendSnapshotIfNewer(symbolId);
                }
            }
            shard.countSubscriptions(added.size());
        }
        flush();
    }

    /**
     * The reference price of each symbol: the price the feed's session starts it from (every session of a universe
     * starts from the same prices), so a client measures change from it rather than from the first quote it saw.
     */
    private long[] openPricesOf(final List<String> names) {
        final long[] prices = new long[names.size()];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = universe.basePrice(universe.idOf(names.get(i)));
        }
        return prices;
    }

    private void subscribeAll(final String id) {
        if (!firehose && universe.size() > maxSubscriptions) {
            // every symbol is a subscription like any other: the firehose is no way around the per-connection cap
            sendError(id, ErrorCode.SUBSCRIPTION_LIMIT, "'*' is " + universe.size()
                + " symbols, more than the limit of " + maxSubscriptions + " symbols per connection");
            return;
        }
        if (!firehose && !shard.tryTakeFirehoseSlot()) {
            sendError(id, ErrorCode.SUBSCRIPTION_LIMIT, "the server's firehose subscribers are at their limit; "
                + "subscribe to the symbols you need");
            return;
        }
        appendEvent(EventJson.subscribed(id, List.of(Command.ALL_SYMBOLS), shard.epoch()));
        if (!firehose) {
            firehose = true;
            forEachSymbol(symbolId -> shard.unindex(this, symbolId));
            shard.indexFirehose(this);
            for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
                if (!symbols.contains(symbolId)) {
                    appendSnapshotIfNewer(symbolId);
                }
            }
        }
        flush();
    }

    /** Unsubscribes from the named symbols ({@code *} ends the firehose) and acks; dropped once output stopped. */
    public void unsubscribe(final String id, final List<String> names) {
        if (closed) {
            return;
        }
        final List<String> removed = new ArrayList<>(names.size());
        final List<String> unknown = new ArrayList<>();
        for (final String name : names) {
            if (Command.ALL_SYMBOLS.equals(name)) {
                if (firehose) {
                    firehose = false;
                    shard.unindexFirehose(this);
                    forEachSymbol(symbolId -> shard.index(this, symbolId));
                    for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
                        if (!symbols.contains(symbolId)) {
                            seqsHeld.uncovered(symbolId, shard.book(), dropSlot(symbolId));
                        }
                    }
                }
                removed.add(name);
                continue;
            }
            final int symbolId = universe.idOf(name);
            if (symbolId < 0) {
                unknown.add(name);
                continue;
            }
            if (symbols.remove(symbolId)) {
                if (!firehose) {
                    shard.unindex(this, symbolId);
                    seqsHeld.uncovered(symbolId, shard.book(), dropSlot(symbolId));
                }
                shard.countSubscriptions(-1);
            }
            removed.add(name);
        }
        if (!unknown.isEmpty()) {
            error(id, ErrorCode.UNKNOWN_SYMBOL, "unknown symbol" + (unknown.size() > 1 ? "s " : " ")
                + String.join(", ", unknown.subList(0, Math.min(unknown.size(), 20))));
        }
        if (!removed.isEmpty()) {
            appendEvent(EventJson.unsubscribed(id, removed));
        }
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
        if (slotCount > 0) {
            slotBySymbol.clear();
            slotCount = 0;
        }
        seqsHeld.clear();
        appendEvent(EventJson.reset(epoch));
        final var book = shard.book();
        for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
            if ((firehose || symbols.contains(symbolId)) && book.has(symbolId)) {
                appendSnapshot(symbolId);
            }
        }
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
        if (inFlight() && queuedBytes() + members.length > shard.maxQueuedBytesPerConnection()) {
            overQueued("not reading: more than " + shard.maxQueuedBytesPerConnection() + " bytes queued");
            return;
        }
        final byte[] start = EventJson.symbolsStart(id).getBytes(StandardCharsets.UTF_8);
        final byte[] event = Arrays.copyOf(start, start.length + members.length);
        System.arraycopy(members, 0, event, start.length, members.length);
        appendEventBytes(event);
        flush();
    }

    /** Sends an {@code error} event; the connection stays open. */
    public void sendError(final String id, final ErrorCode code, final String message) {
        error(id, code, message);
        flush();
    }

    private void error(final String id, final ErrorCode code, final String message) {
        shard.countError(code);
        appendEvent(EventJson.error(id, code, message));
    }

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
        commanded = true;
    }

    /** How long the client has been connected without sending a command; 0 once it has sent one. */
    long idleNanos(final long nowNanos) {
        return commanded ? 0 : nowNanos - connectedNanos;
    }

    /** Records that the client showed a sign of life (any frame, pong included). Any thread. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
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

    /** When output stopped. */
    long closingSinceNanos() {
        return closingSinceNanos;
    }

    /** How long the frame in flight has been waiting for the client to take it; 0 when none is. */
    long stalledNanos(final long nowNanos) {
        return inFlight() ? nowNanos - inFlightSinceNanos : 0;
    }

    /** Drops the connection without a close handshake: the peer did not answer in time. */
    void abort() {
        sink.abort();
    }

    private void stopOutput() {
        closed = true;
        closingSinceNanos = System.nanoTime();
        shard.detach(this);
        symbols.clear();
        firehose = false;
        seqsHeld.clear();
        // Nothing more goes out: what was queued is garbage now, not in a few seconds when the socket is gone.
        slotCount = 0;
        slotBySymbol = null;
        slotSymbols = null;
        slotLengths = null;
        slotConflated = null;
        slotBytes = null;
        frameEnd = PAYLOAD_START;
        if (frame.bytes.length > INITIAL_FRAME_BYTES) {
            frame = new FrameBuffer(INITIAL_FRAME_BYTES);
        }
        spareFrame = null;
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

    boolean isFirehose() {
        return firehose;
    }

    int symbolCount() {
        return symbols.size();
    }

    void forEachSymbol(final IntConsumer action) {
        final IntHashSet.IntIterator ids = symbols.iterator();
        while (ids.hasNext()) {
            action.accept(ids.nextValue());
        }
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
        if (!inFlight() && frameEnd - PAYLOAD_START + count > MAX_FRAME_PAYLOAD_BYTES) {
            // A full frame goes now, so that what follows is conflated if the client cannot take it: otherwise an IO
            // thread that fell behind would append every update of its backlog of batches to every subscriber's
            // frame (enough for an OutOfMemoryError with 50 firehose subscribers and compression on).
            flush();
        }
        if (!pendingHasQuote) {
            pendingHasQuote = true;
            pendingOldestNanos = publishNanos;
        }
        if (!inFlight()) {
            beginEvent(count);
            System.arraycopy(bytes, from, frame.bytes, frameEnd, count);
            frameEnd += count;
            return true;
        }
        return conflate(symbolId, bytes, from, count);
    }

    private boolean conflate(final int symbolId, final byte[] bytes, final int offset, final int length) {
        if (slotBySymbol == null) {
            createSlots();
        }
        int slot = slotBySymbol.get(symbolId);
        final boolean replaced = slot != NO_SLOT;
        if (replaced) {
            slotConflated[slot] += 1;
        } else {
            slot = slotCount++;
            ensureSlotCapacity(slotCount);
            slotBySymbol.put(symbolId, slot);
            slotSymbols[slot] = symbolId;
            slotConflated[slot] = 0;
        }
        System.arraycopy(bytes, offset, slotBytes, slot * slotStride, length);
        slotLengths[slot] = length;
        return !replaced;
    }

    /**
     * Sends what is pending as one frame, unless a frame is still in flight. A socket with room takes the frame
     * during the call, and the next frame is built in the same buffer; only a frame the sink must keep moves the
     * building to the spare buffer.
     */
    void flush() {
        if (inFlight() || closed || (frameEnd == PAYLOAD_START && slotCount == 0)) {
            accountQueued();
            return;
        }
        appendSlots();
        if (!binary) {
            frame.bytes[frameEnd++] = ']';
        }
        final FrameBuffer handedOver = frame;
        final int length = frameEnd;
        frameEnd = PAYLOAD_START;
        startSending(SENDING_IN_CALL, length - PAYLOAD_START, pendingHasQuote, pendingOldestNanos);
        pendingHasQuote = false;
        // The sink owns the bytes until frameSent() or frameFailed(); nothing writes to them before then.
        if (binary) {
            sink.sendBinary(handedOver.view(length), this);
        } else {
            sink.sendText(handedOver.view(length), this);
        }
        if (sending == SENDING_IN_CALL) {
            sending = SENDING_KEPT;
            sendingFrame = handedOver;
            buildInSpare();
        } else if (frame == handedOver && !worthKeeping(frame)) {
            // sent during the call, but too large to keep for the connection's life
            buildInSpare();
        }
        accountQueued();
    }

    /**
     * Bytes held for a client that has not taken its last frame: that frame, and everything queued behind it (the
     * frame being built, conflation slots). 0 while nothing is in flight: what is built then goes out at the end of
     * the drain or command that built it.
     */
    long queuedBytes() {
        return inFlight() && !closed ? inFlightBytes + (frameEnd - PAYLOAD_START) + (long) slotCount * slotStride : 0;
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
        shard.countQueueLimitClosed();
        // answered by a client that reads; one that does not is reset by housekeeping (FanoutShard.CLOSE_LINGER_NANOS)
        close(CloseCodes.POLICY_VIOLATION, reason);
    }

    /** Builds from now on in the spare buffer, or a new small one. */
    private void buildInSpare() {
        frame = spareFrame != null ? spareFrame : new FrameBuffer(INITIAL_FRAME_BYTES);
        spareFrame = null;
    }

    /** Whether a frame is with the sink, not yet reported sent or failed. */
    private boolean inFlight() {
        return sending != SENDING_NONE;
    }

    /** A frame of {@code payloadBytes} is handed to the sink: in flight until it reports the frame sent or failed. */
    private void startSending(
        final int what, final int payloadBytes, final boolean hasQuote, final long oldestNanos) {
        sending = what;
        inFlightBytes = payloadBytes;
        inFlightSinceNanos = System.nanoTime();
        sendingHasQuote = hasQuote;
        sendingOldestNanos = oldestNanos;
        shard.countFrame(payloadBytes);
    }

    /** The sink finished the frame in flight: send what queued up meanwhile. Owning thread only. */
    public void frameSent() {
        if (sending == SENDING_NONE) {
            // Nothing in flight. A sink reports each frame once (WebSocketFrameSink drops Undertow's second report
            // of a frame): a second report while the next frame is in flight could not be told from its own.
            return;
        }
        if (sendingHasQuote) {
            sendingHasQuote = false;
            shard.recordRingToSocket(System.nanoTime() - sendingOldestNanos);
        }
        if (sending == SENDING_KEPT) {
            if (worthKeeping(sendingFrame)) {
                spareFrame = sendingFrame;
            }
            sendingFrame = null;
        }
        sending = SENDING_NONE;
        flush();
    }

    // ---- the shard's shared firehose frame (IO thread, per drain) ----

    /**
     * Whether the shard's shared firehose frame is exactly what this subscriber's next frame would be: a firehose
     * subscriber with nothing of its own pending or in flight, on a sink that can write a frame it does not own.
     */
    boolean canShareFrames() {
        return firehose && !inFlight() && !closed && frameEnd == PAYLOAD_START && slotCount == 0 && sink.sharesFrames();
    }

    /**
     * Sends the shard's shared frame as this subscriber's next frame; only after {@link #canShareFrames()}. Returns
     * whether the subscriber can still share, false when the socket could not take the whole frame: the sink then
     * keeps the rest, and quotes conflate behind it as behind any frame in flight.
     */
    boolean sendShared(final FirehoseFrame shared) {
        startSending(SENDING_SHARED, shared.payloadLength(), true, shared.oldestNanos());
        // A socket that takes the whole frame reports it sent before this returns.
        sink.sendShared(shared.view(), binary, this);
        return canShareFrames();
    }

    /** Whether {@code buffer} is small enough to keep for the connection's life, as its frame or its spare. */
    private boolean worthKeeping(final FrameBuffer buffer) {
        // the constant first: retainedFrameBytes() is never below it, and most buffers are far smaller
        return buffer.bytes.length <= MAX_RETAINED_FRAME_BYTES || buffer.bytes.length <= retainedFrameBytes();
    }

    /**
     * How large a frame buffer this subscriber keeps. A subscriber to many symbols regularly needs frames of one
     * quote per symbol (a conflated catch-up, a busy tick); dropping such a buffer after every send and growing a new
     * one from 1 KiB costs a firehose subscriber megabytes of garbage per second, so the limit grows with the
     * subscription, up to {@link #MAX_RETAINED_FRAME_BYTES_BUSY}.
     */
    private int retainedFrameBytes() {
        final long oneQuotePerSymbol = (long) (firehose ? universe.size() : symbols.size()) * slotStride * 2;
        return (int) Math.max(MAX_RETAINED_FRAME_BYTES, Math.min(MAX_RETAINED_FRAME_BYTES_BUSY, oneQuotePerSymbol));
    }

    /** The sink could not send the frame in flight: the connection is broken, so output stops for good. */
    public void frameFailed() {
        sendingHasQuote = false;
        sendingFrame = null;
        sending = SENDING_NONE;
        if (!closed) {
            stopOutput();
        }
        sink.abort();
    }

    // ---- frame building ----

    private void appendEvent(final String eventJson) {
        if (closed) {
            // nothing more goes out after a close frame: a reply built now would only hold memory
            return;
        }
        appendEventBytes(eventJson.getBytes(StandardCharsets.UTF_8));
    }

    private void appendEventBytes(final byte[] bytes) {
        if (binary) {
            // the same object the JSON array would hold, in an event record
            beginEvent(BinaryRecords.eventLength(bytes.length));
            frameEnd = QuoteBinaryEncoder.putEvent(frame.bytes, frameEnd, bytes, 0, bytes.length);
        } else {
            beginEvent(bytes.length);
            System.arraycopy(bytes, 0, frame.bytes, frameEnd, bytes.length);
            frameEnd += bytes.length;
        }
    }

    /** A symbol has just become covered: its snapshot, unless the subscriber already holds that quote or a newer. */
    private void appendSnapshotIfNewer(final int symbolId) {
        if (seqsHeld.coveredNeedsSnapshot(symbolId, shard.book())) {
            appendSnapshot(symbolId);
        }
    }

    private void appendSnapshot(final int symbolId) {
        final var book = shard.book();
        if (binary) {
            beginEvent(BinaryRecords.QUOTE_LENGTH);
            frameEnd = QuoteBinaryEncoder.putWithSnapshot(
                frame.bytes, frameEnd, book.records(), book.recordOffset(symbolId));
        } else {
            beginEvent(QuoteJsonEncoder.MAX_QUOTE_LENGTH);
            frameEnd = QuoteJsonEncoder.putWithSnapshot(
                frame.bytes, frameEnd, book.bytes(), book.offset(symbolId), book.length(symbolId));
        }
    }

    private void appendSlots() {
        for (int slot = 0; slot < slotCount; slot++) {
            beginEvent(slotStride);
            final int offset = slot * slotStride;
            final long conflated = slotConflated[slot];
            if (conflated == 0) {
                System.arraycopy(slotBytes, offset, frame.bytes, frameEnd, slotLengths[slot]);
                frameEnd += slotLengths[slot];
            } else if (binary) {
                frameEnd = QuoteBinaryEncoder.putWithConflated(frame.bytes, frameEnd, slotBytes, offset, conflated);
            } else {
                frameEnd = QuoteJsonEncoder.putWithConflated(
                    frame.bytes, frameEnd, slotBytes, offset, slotLengths[slot], conflated);
            }
        }
        if (slotCount > 0) {
            slotBySymbol.clear();
            slotCount = 0;
        }
    }

    /**
     * Makes room for an event of up to {@code length} bytes plus separators, and writes the JSON separator; binary
     * records follow each other with nothing between.
     */
    private void beginEvent(final int length) {
        final int needed = frameEnd + length + 2;
        if (needed > frame.bytes.length) {
            frame.grow(Math.max(needed, frame.bytes.length * 2));
        }
        if (!binary) {
            frame.bytes[frameEnd] = frameEnd == PAYLOAD_START ? (byte) '[' : (byte) ',';
            frameEnd++;
        }
    }

    private void createSlots() {
        slotBySymbol = new Int2IntHashMap(NO_SLOT);
        slotSymbols = new int[8];
        slotLengths = new int[8];
        slotConflated = new long[8];
        slotBytes = new byte[8 * slotStride];
    }

    private void ensureSlotCapacity(final int slots) {
        if (slots <= slotSymbols.length) {
            return;
        }
        final int capacity = Math.max(slots, slotSymbols.length * 2);
        slotSymbols = Arrays.copyOf(slotSymbols, capacity);
        slotLengths = Arrays.copyOf(slotLengths, capacity);
        slotConflated = Arrays.copyOf(slotConflated, capacity);
        slotBytes = Arrays.copyOf(slotBytes, capacity * slotStride);
    }

    /** Drops the pending quote of {@code symbolId}, if one waits in a slot; returns whether one did. */
    private boolean dropSlot(final int symbolId) {
        if (slotBySymbol == null) {
            return false;
        }
        final int slot = slotBySymbol.remove(symbolId);
        if (slot == NO_SLOT) {
            return false;
        }
        final int last = --slotCount;
        if (slot != last) {
            slotSymbols[slot] = slotSymbols[last];
            slotLengths[slot] = slotLengths[last];
            slotConflated[slot] = slotConflated[last];
            System.arraycopy(slotBytes, last * slotStride, slotBytes, slot * slotStride, slotLengths[last]);
            slotBySymbol.put(slotSymbols[slot], slot);
        }
        return true;
    }

    /** A frame's bytes with one reusable ByteBuffer over them, so that sending a frame allocates nothing. */
    private static final class FrameBuffer {
        byte[] bytes;
        private ByteBuffer view;

        FrameBuffer(final int capacity) {
            bytes = new byte[capacity];
            view = ByteBuffer.wrap(bytes);
        }

        void grow(final int capacity) {
            bytes = Arrays.copyOf(bytes, capacity);
            view = ByteBuffer.wrap(bytes);
        }

        /** The payload, from {@link #PAYLOAD_START} to {@code end}, with the header room before it. */
        ByteBuffer view(final int end) {
            view.clear().limit(end).position(PAYLOAD_START);
            return view;
        }
    }
}
