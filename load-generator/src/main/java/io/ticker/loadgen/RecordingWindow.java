package io.ticker.loadgen;

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
