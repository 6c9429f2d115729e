package io.ticker.server.fanout;

/**
 * What one subscriber has with its sink: nothing, or one frame not yet reported sent or failed, and how long it has
 * waited. A frame the socket takes during the call (the usual case) is in flight only for that call; one the sink
 * must keep holds its buffer until the report. Owning IO thread only.
 */
final class FrameInFlight {
    /** No frame in flight. */
    private static final int NONE = 0;
    /** The subscriber's own frame buffer is with the sink, during the call that hands it over. */
    private static final int IN_CALL = 1;
    /** {@link #kept} is with the sink: the socket did not take it all during the call. */
    private static final int KEPT = 2;
    /** The shard's shared frame: its rest is the sink's copy, nothing the subscriber keeps. */
    private static final int SHARED = 3;

    private int state = NONE;
    private FrameBuffer kept;
    /** Payload bytes of the frame: the sink holds them (or their rest) until the client takes them. */
    private int payloadBytes;
    private long sinceNanos;
    // The ring-to-socket hop of a frame starts when the oldest quote that went into it entered the ring.
    private boolean hasQuote;
    private long oldestNanos;

    boolean active() {
        return state != NONE;
    }

    /** A frame built in the subscriber's own buffer goes to the sink. */
    void startOwn(final int payloadBytes, final boolean hasQuote, final long oldestNanos) {
        start(IN_CALL, payloadBytes, hasQuote, oldestNanos);
    }

    /** The shard's shared frame goes to the sink. */
    void startShared(final int payloadBytes, final long oldestNanos) {
        start(SHARED, payloadBytes, true, oldestNanos);
    }

    private void start(final int what, final int bytes, final boolean quote, final long oldest) {
        state = what;
        payloadBytes = bytes;
        sinceNanos = System.nanoTime();
        hasQuote = quote;
        oldestNanos = oldest;
    }

    /** Whether the own frame handed over in this call is still with the sink now that the call has returned. */
    boolean stillInCall() {
        return state == IN_CALL;
    }

    /** The sink keeps {@code buffer} beyond the call that handed it over. */
    void keep(final FrameBuffer buffer) {
        state = KEPT;
        kept = buffer;
    }

    /** Payload bytes of the frame in flight. */
    int payloadBytes() {
        return payloadBytes;
    }

    /** How long the frame in flight has waited for the client to take it; 0 when none is in flight. */
    long stalledNanos(final long nowNanos) {
        return active() ? nowNanos - sinceNanos : 0;
    }

    /** Whether the frame carries a quote, so that its send ends a ring-to-socket hop. */
    boolean hasQuote() {
        return hasQuote;
    }

    /** When the oldest quote in the frame entered the ring, {@link System#nanoTime()}. */
    long oldestNanos() {
        return oldestNanos;
    }

    /** The frame is done (sent or failed): returns the buffer the sink kept, if it did, and clears. */
    FrameBuffer end() {
        final FrameBuffer buffer = kept;
        kept = null;
        hasQuote = false;
        state = NONE;
        return buffer;
    }
}
