package io.ticker.loadgen.measure;

import java.util.Arrays;

/**
 * The last {@code seq} seen per symbol id on one connection, and the {@code ts} of that quote, in an open-addressing
 * map of primitives (no boxing), so that order checking costs a probe or two per quote. The {@code ts} tells what
 * span a later quote's conflated count covers ({@link RecordingWindow#conflatedInside}). Owned by the connection's
 * event loop; kept across reconnects, since {@code seq} is global to the feed and a client that moves to another
 * server can tell what it already has, except that after a reconnect each symbol's first quote may start its order
 * over (a restarted feed).
 */
public final class SeqTracker {
    private static final int EMPTY = -1;

    private int[] keys;
    private long[] values;
    private long[] stamps;
    private int[] epochs;
    private int epoch;
    private long rebases;
    private long replacedTs = -1;
    private int size;
    private int mask;

    /** A tracker expecting about {@code expectedSymbols} symbols; it grows when more appear. */
    public SeqTracker(final int expectedSymbols) {
        int capacity = 8;
        while (capacity < expectedSymbols * 2) {
            capacity <<= 1;
        }
        allocate(capacity);
    }

    /**
     * Records {@code seq} for a live quote of {@code symbolId} made at {@code tsMicros} (-1 if unknown); the
     * {@code ts} it replaces is then {@link #replacedTs()}.
     *
     * @return false when {@code seq} does not exceed the last one seen for the symbol (an order violation)
     */
    public boolean advance(final int symbolId, final long seq, final long tsMicros) {
        final int slot = slot(symbolId);
        if (keys[slot] == EMPTY) {
            replacedTs = -1;
            insert(slot, symbolId, seq, tsMicros);
            return true;
        }
        replacedTs = stamps[slot];
        stamps[slot] = tsMicros;
        if (rebasedInNewEpoch(slot, seq, true)) {
            return true;
        }
        if (seq <= values[slot]) {
            return false;
        }
        values[slot] = seq;
        return true;
    }

    /**
     * Records the {@code seq} of a snapshot. A snapshot repeats the last known quote, so after a reconnect it may equal
     * (never exceed the order of) what was seen; only a snapshot older than what was seen is a violation.
     */
    public boolean snapshot(final int symbolId, final long seq, final long tsMicros) {
        final int slot = slot(symbolId);
        if (keys[slot] == EMPTY) {
            insert(slot, symbolId, seq, tsMicros);
            return true;
        }
        stamps[slot] = tsMicros;
        if (rebasedInNewEpoch(slot, seq, false)) {
            return true;
        }
        if (seq < values[slot]) {
            return false;
        }
        values[slot] = seq;
        return true;
    }

    /**
     * Called on a reconnect: the first quote of each symbol that follows may start that symbol's order over, since
     * the server may be a restarted one whose feed counts from 0 again. Counted, see {@link #takeRebases()}.
     */
    public void newEpoch() {
        epoch++;
    }

    /**
     * Forgets every symbol: the feed announced a reset (a new epoch), so {@code seq} starts over and nothing seen
     * before says anything about what follows.
     */
    public void forget() {
        Arrays.fill(keys, EMPTY);
        size = 0;
        replacedTs = -1;
    }

    /** Symbols whose order started over since the last call. */
    public long takeRebases() {
        final long taken = rebases;
        rebases = 0;
        return taken;
    }

    /**
     * The first quote of a symbol after a reconnect: behind what was seen (or, live, level with it: a restarted
     * feed with the same seed makes the same quotes with the same seq) it starts the order over.
     */
    private boolean rebasedInNewEpoch(final int slot, final long seq, final boolean live) {
        if (epochs[slot] == epoch) {
            return false;
        }
        epochs[slot] = epoch;
        if (seq < values[slot] || (live && seq == values[slot])) {
            values[slot] = seq;
            rebases++;
            return true;
        }
        return false;
    }

    /** The last seq seen for the symbol, or -1. */
    public long last(final int symbolId) {
        final int slot = slot(symbolId);
        return keys[slot] == EMPTY ? -1 : values[slot];
    }

    /**
     * The {@code ts} of the quote before the one the last {@link #advance} recorded, snapshot or live, or -1: the
     * start of the span that quote's conflated count covers. Read in the same call, one probe instead of two.
     */
    public long replacedTs() {
        return replacedTs;
    }

    /** The {@code ts} of the symbol's last quote, snapshot or live, or -1. */
    public long lastTs(final int symbolId) {
        final int slot = slot(symbolId);
        return keys[slot] == EMPTY ? -1 : stamps[slot];
    }

    private int slot(final int symbolId) {
        int slot = (symbolId * 0x9E3779B9) >>> 1 & mask;
        while (keys[slot] != EMPTY && keys[slot] != symbolId) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void insert(final int slot, final int symbolId, final long seq, final long tsMicros) {
        keys[slot] = symbolId;
        values[slot] = seq;
        stamps[slot] = tsMicros;
        epochs[slot] = epoch;
        size++;
        if (size * 2 > keys.length) {
            rehash();
        }
    }

    private void rehash() {
        final int[] oldKeys = keys;
        final long[] oldValues = values;
        final long[] oldStamps = stamps;
        final int[] oldEpochs = epochs;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                final int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                stamps[slot] = oldStamps[i];
                epochs[slot] = oldEpochs[i];
                size++;
            }
        }
    }

    private void allocate(final int capacity) {
        keys = new int[capacity];
        Arrays.fill(keys, EMPTY);
        values = new long[capacity];
        stamps = new long[capacity];
        epochs = new int[capacity];
        mask = capacity - 1;
        size = 0;
    }
}
