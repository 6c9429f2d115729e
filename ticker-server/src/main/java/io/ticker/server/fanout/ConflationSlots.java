package io.ticker.server.fanout;

import java.util.Arrays;
import org.agrona.collections.Int2IntHashMap;

/**
 * The quotes one subscriber has pending while a frame of its is in flight: at most one per symbol, the newest, with
 * the count of older ones it replaced, so a client that does not keep up costs memory bounded by its subscription and
 * the ring never waits for it. Slots are packed (a dropped slot takes the last one's place) and sized for the longest
 * quote of the format. Created on the first conflated quote: most subscribers keep up and never need them. Owning IO
 * thread only; nothing allocates once the table has grown to the subscription.
 */
final class ConflationSlots {
    private static final int NO_SLOT = -1;
    private static final int INITIAL_SLOTS = 8;

    /** Bytes per slot: room for the longest quote of the format. */
    private final int stride;
    private Int2IntHashMap slotBySymbol;
    private int[] symbols;
    private int[] lengths;
    private long[] conflated;
    private byte[] bytes;
    private int count;

    ConflationSlots(final int stride) {
        this.stride = stride;
    }

    /** Quotes pending. */
    int count() {
        return count;
    }

    /** Bytes the pending quotes take, counted at the slot size. */
    long bytesHeld() {
        return (long) count * stride;
    }

    /**
     * Keeps {@code length} bytes of {@code quote} from {@code offset} as the pending quote of {@code symbolId}.
     * Returns false if it replaced an older pending quote of that symbol (which is then counted as conflated).
     */
    boolean offer(final int symbolId, final byte[] quote, final int offset, final int length) {
        if (slotBySymbol == null) {
            create();
        }
        int slot = slotBySymbol.get(symbolId);
        final boolean replaced = slot != NO_SLOT;
        if (replaced) {
            conflated[slot] += 1;
        } else {
            slot = count++;
            ensureCapacity(count);
            slotBySymbol.put(symbolId, slot);
            symbols[slot] = symbolId;
            conflated[slot] = 0;
        }
        System.arraycopy(quote, offset, bytes, slot * stride, length);
        lengths[slot] = length;
        return !replaced;
    }

    /** Drops the pending quote of {@code symbolId}, if one waits in a slot; returns whether one did. */
    boolean drop(final int symbolId) {
        if (slotBySymbol == null) {
            return false;
        }
        final int slot = slotBySymbol.remove(symbolId);
        if (slot == NO_SLOT) {
            return false;
        }
        final int last = --count;
        if (slot != last) {
            symbols[slot] = symbols[last];
            lengths[slot] = lengths[last];
            conflated[slot] = conflated[last];
            System.arraycopy(bytes, last * stride, bytes, slot * stride, lengths[last]);
            slotBySymbol.put(symbols[slot], slot);
        }
        return true;
    }

    /** Appends every pending quote to {@code frame}, in slot order, and empties the slots. */
    void moveTo(final FrameBuilder frame) {
        for (int slot = 0; slot < count; slot++) {
            frame.appendPending(bytes, slot * stride, lengths[slot], conflated[slot]);
        }
        clear();
    }

    /** Drops every pending quote; the table stays for reuse. */
    void clear() {
        if (count > 0) {
            slotBySymbol.clear();
            count = 0;
        }
    }

    /** Output stopped for good: the table is garbage now, not when the socket is gone. */
    void release() {
        count = 0;
        slotBySymbol = null;
        symbols = null;
        lengths = null;
        conflated = null;
        bytes = null;
    }

    private void create() {
        slotBySymbol = new Int2IntHashMap(NO_SLOT);
        symbols = new int[INITIAL_SLOTS];
        lengths = new int[INITIAL_SLOTS];
        conflated = new long[INITIAL_SLOTS];
        bytes = new byte[INITIAL_SLOTS * stride];
    }

    private void ensureCapacity(final int slots) {
        if (slots <= symbols.length) {
            return;
        }
        final int capacity = Math.max(slots, symbols.length * 2);
        symbols = Arrays.copyOf(symbols, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
        conflated = Arrays.copyOf(conflated, capacity);
        bytes = Arrays.copyOf(bytes, capacity * stride);
    }
}
