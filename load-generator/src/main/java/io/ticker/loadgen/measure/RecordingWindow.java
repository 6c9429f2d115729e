package io.ticker.loadgen.measure;

/**
 * The recorded part of a run, in feed time: a quote belongs to it when its {@code ts} lies in
 * {@code [start, end)}. Deciding by {@code ts} rather than by arrival means the observer and every subscriber count
 * the same set of updates, however late each receives them, and a quote created just before the end that arrives
 * late still has its (long) latency recorded.
 */
public final class RecordingWindow {
    private volatile long startMicros = Long.MAX_VALUE;
    private volatile long endMicros = Long.MAX_VALUE;

    /** Opens the window at {@code epochMicros}. */
    public void open(final long epochMicros) {
        startMicros = epochMicros;
    }

    /** Closes the window at {@code epochMicros}: quotes created from then on are outside. */
    public void close(final long epochMicros) {
        endMicros = epochMicros;
    }

    /** Whether the window has opened. */
    public boolean isOpen() {
        return startMicros != Long.MAX_VALUE;
    }

    /** Where {@code tsMicros} falls: before, inside or after the window. */
    public Position position(final long tsMicros) {
        if (tsMicros < startMicros) {
            return Position.BEFORE;
        }
        return tsMicros < endMicros ? Position.INSIDE : Position.AFTER;
    }

    /** The window's start in epoch microseconds ({@code Long.MAX_VALUE} until opened). */
    public long startMicros() {
        return startMicros;
    }

    /** The window's end in epoch microseconds ({@code Long.MAX_VALUE} until closed). */
    public long endMicros() {
        return endMicros;
    }

    /**
     * How many of {@code conflated} updates, which the server replaced by a quote made at {@code toTs} since the
     * previous quote of the same symbol it sent this connection (made at {@code fromTs}), were made inside
     * {@code [start, end)}. The server says how many it replaced, not when; taking them as spread evenly over
     * {@code (fromTs, toTs]} is right on average. Counting them all by {@code toTs} instead is not, at the window's
     * edges: a connection that was conflated across the start (it fell behind just before it) would count updates
     * made before the window as inside it, and one conflated across the end would lose updates made inside it.
     * Without {@code fromTs} ({@code < 0}: the first quote of the symbol), all or nothing by {@code toTs}.
     */
    public static long conflatedInside(
        final long conflated, final long fromTs, final long toTs, final long start, final long end) {
        if (conflated == 0 || fromTs < 0 || fromTs >= toTs) {
            return toTs >= start && toTs < end ? conflated : 0;
        }
        final long overlap = Math.min(toTs, end) - Math.max(fromTs, start);
        if (overlap <= 0) {
            return 0;
        }
        return overlap >= toTs - fromTs ? conflated : Math.round(conflated * (overlap / (double) (toTs - fromTs)));
    }

    /** Where a quote's creation time falls relative to the window. */
    public enum Position {
        /** Warm-up: shown in progress, not recorded. */
        BEFORE,
        /** Recorded. */
        INSIDE,
        /** Created after the end; counted apart, not recorded. */
        AFTER
    }
}
