package io.ticker.protocol;

/**
 * What {@link JsonFrameScanner} finds in a frame, one call per event, in frame order. Offsets point into the frame's
 * bytes and are valid only during the call; primitives only, so that the quote path allocates nothing.
 */
public interface FrameListener {
    /**
     * A {@code quote} event.
     *
     * @param symbolOffset where the symbol's bytes start in {@code frame}
     * @param symbolLength how many bytes the symbol has
     * @param seq the feed sequence number, or -1 when absent
     * @param tsMicros the feed's creation time in epoch microseconds, or -1 when absent
     * @param snapshot whether the quote is a snapshot sent after {@code subscribed}
     * @param conflated how many older unsent quotes of the symbol this one replaced
     */
    void onQuote(byte[] frame, int symbolOffset, int symbolLength, long seq, long tsMicros, boolean snapshot,
        long conflated);

    /**
     * A {@code quote} event with its {@code replayed} mark; the scanners call this one. By default it forgets the
     * mark and calls {@link #onQuote(byte[], int, int, long, long, boolean, long)}.
     *
     * @param replayed whether the quote is replayed from the server's history after a recovered resume
     */
    default void onQuote(final byte[] frame, final int symbolOffset, final int symbolLength, final long seq,
        final long tsMicros, final boolean snapshot, final boolean replayed, final long conflated) {
        onQuote(frame, symbolOffset, symbolLength, seq, tsMicros, snapshot, conflated);
    }

    /**
     * A {@code subscribed}, {@code unsubscribed} or {@code symbols} answer.
     *
     * @param epoch the feed epoch the answer names ({@code subscribed} carries it), or -1 when absent
     */
    void onAck(EventType type, long epoch);

    /**
     * An answer with what it says about a resume; the scanners call this one. By default it forgets the resume and
     * calls {@link #onAck(EventType, long)}. Cold path.
     *
     * @param recovery the {@code recovered} member of a {@code subscribed} answer, or {@link Recovery#NOT_ASKED}
     * @param reason the {@code reason} member of an answer with {@code "recovered":false}, or null
     */
    default void onAck(final EventType type, final long epoch, final Recovery recovery, final String reason) {
        onAck(type, epoch);
    }

    /**
     * A {@code reset} event: the feed restarted as {@code epoch} (-1 when absent). Fresh snapshots follow; {@code seq}
     * order from before the reset says nothing about what comes after it.
     */
    void onReset(long epoch);

    /** A {@code pong} answer, with the server's {@code ts} or -1. */
    void onPong(long tsMicros);

    /** An {@code error} event; {@code code} is its code, or "" when it had none. Cold path. */
    void onError(String code);

    /** An event of a type this client does not know; counted, not fatal. */
    void onUnknownEvent();

    /** Text that is not a JSON array of event objects; the rest of the frame is skipped. */
    void onMalformed(String reason);
}
