package io.ticker.loadgen.measure;

/**
 * Where one client can resume after a reconnect: the feed epoch it is in and the highest {@code seq} it has received
 * in that epoch, over every quote of the connection (live, conflated, replayed or snapshot alike). The highest, not
 * the last: conflation may send one symbol's seq 105 before another's 101, but every update of the client's symbols
 * up to the highest seq of a whole frame has then been sent, as itself or counted in a later {@code conflated}
 * (docs/PROTOCOL.md). A new epoch (a {@code reset}, or an answer naming another epoch) starts it over. Survives
 * reconnects; touched only by the client's event loop.
 */
public final class ResumePoint {
    private long epoch = -1;
    private long highestSeq = -1;
    private boolean asked;

    /** A quote with {@code seq} (-1 when absent) arrived. Per quote: one compare. */
    public void received(final long seq) {
        if (seq > highestSeq) {
            highestSeq = seq;
        }
    }

    /**
     * The server named {@code newEpoch} (in a {@code subscribed} answer or a {@code reset}); 0 or less says nothing
     * (a server that has not heard its feed yet). Another epoch than the one held: seqs start over.
     */
    public void epoch(final long newEpoch) {
        if (newEpoch > 0 && newEpoch != epoch) {
            epoch = newEpoch;
            highestSeq = -1;
        }
    }

    /** The epoch held, or -1. */
    public long epoch() {
        return epoch;
    }

    /** The highest seq received in {@link #epoch()}, or -1 before the first quote. */
    public long highestSeq() {
        return highestSeq;
    }

    /** Whether a quote of a known epoch has arrived, so that a reconnect can ask for what follows it. */
    public boolean canResume() {
        return highestSeq >= 0 && epoch > 0;
    }

    /**
     * {@code subscribe}, a JSON {@code subscribe} object, with {@code since} and {@code epoch} added when a resume is
     * possible (and the resume then marked as asked, see {@link #takeAsked()}); otherwise {@code subscribe} itself.
     * Cold path: once per connect.
     */
    public String resumeCommand(final String subscribe) {
        final int close = subscribe.lastIndexOf('}');
        if (!canResume() || close < 0) {
            return subscribe;
        }
        asked = true;
        return subscribe.substring(0, close) + ",\"since\":" + highestSeq + ",\"epoch\":" + epoch
            + subscribe.substring(close);
    }

    /** Whether the last subscribe sent asked to resume; clears it, so that one answer is matched to one ask. */
    public boolean takeAsked() {
        final boolean was = asked;
        asked = false;
        return was;
    }
}
