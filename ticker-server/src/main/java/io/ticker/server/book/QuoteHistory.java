package io.ticker.server.book;

import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteBinaryEncoder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The most recent updates the server has sequenced, {@link #capacity()} of them, for clients that resume from a
 * {@code seq}: a preallocated ring of binary quote records written by the ring's consumer (one writer) and read by
 * every fan-out shard while the writer keeps going.
 *
 * <p>Updates are numbered by {@link #written()}, an index that only grows (across feed sessions too); index {@code i}
 * lives in slot {@code i % capacity} until index {@code i + capacity} overwrites it. Each slot carries the index it
 * holds as a version, in the manner of a seqlock: the writer marks the slot {@link #WRITING}, fills it, then stores
 * the index; a reader that copies a slot and then still finds the version it expected has a whole, untorn copy. So
 * nothing is locked, the writer never waits for a reader, and a reader that loses the race learns it (the update is
 * then simply no longer held). Because the writer overwrites in index order, one check covers a run: if index
 * {@code i} is intact after a reader copied indices {@code i..j} (all written before it began), none of them was
 * overwritten while it copied. {@link HistoryReader} is the shards' reader.
 *
 * <p>Memory: {@link #BYTES_PER_UPDATE} bytes per update held, all allocated here, none per update.
 */
public final class QuoteHistory {
    /** Bytes held per update: the binary record, the seq, the version and the symbol id. */
    public static final int BYTES_PER_UPDATE = BinaryRecords.QUOTE_LENGTH + Long.BYTES + Long.BYTES + Integer.BYTES;
    /** The version of a slot the writer is filling. */
    static final long WRITING = -1;
    /** What {@link #seqAt} answers for an index that is not held: never written, or overwritten since. */
    public static final long NOT_HELD = Long.MIN_VALUE;

    private static final VarHandle VERSIONS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle WRITTEN;

    static {
        try {
            WRITTEN = MethodHandles.lookup().findVarHandle(QuoteHistory.class, "written", long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final long[] versions;
    private final long[] seqs;
    private final int[] symbolIds;
    private final byte[] records;
    /** Updates appended so far; the next one gets this index. Written by the writer only, read by any thread. */
    @SuppressWarnings("unused") // through WRITTEN
    private volatile long written;

    /** A history holding the last {@code capacity} updates; 0 holds none (every resume is too old). */
    public QuoteHistory(final int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("history capacity must be 0 or more, was " + capacity);
        }
        this.capacity = capacity;
        versions = new long[capacity];
        java.util.Arrays.fill(versions, WRITING);
        seqs = new long[capacity];
        symbolIds = new int[capacity];
        records = new byte[capacity * BinaryRecords.QUOTE_LENGTH];
    }

    /** Updates held at most. */
    public int capacity() {
        return capacity;
    }

    /** Bytes this history holds, whatever is in it. */
    public long footprintBytes() {
        return (long) capacity * BYTES_PER_UPDATE;
    }

    // ---- the writer: the ring's consumer thread ----

    /**
     * Appends one update as its binary record. Writer thread only; no allocation.
     *
     * @param symbolAscii the symbol's ticker as ASCII bytes, as for {@link QuoteBinaryEncoder#encode}
     */
    public void append(final long seq, final Quote quote, final byte[] symbolAscii) {
        final long index = (long) WRITTEN.getOpaque(this);
        if (capacity > 0) {
            final int slot = (int) (index % capacity);
            VERSIONS.setOpaque(versions, slot, WRITING);
            // no store of the fill below may become visible before the mark
            VarHandle.storeStoreFence();
            seqs[slot] = seq;
            symbolIds[slot] = quote.symbolId;
            QuoteBinaryEncoder.encode(records, slot * BinaryRecords.QUOTE_LENGTH, symbolAscii, seq, quote);
            VERSIONS.setRelease(versions, slot, index);
        }
        WRITTEN.setRelease(this, index + 1);
    }

    /** Updates appended so far: the index the next one gets. Any thread. */
    public long written() {
        return (long) WRITTEN.getAcquire(this);
    }

    // ---- readers: any thread, concurrently with the writer ----

    /**
     * The lowest index that may still be held now; what is below it has been overwritten. It only grows, and a
     * reader must still check what it copies ({@link #intact}).
     */
    public long oldestHeld() {
        return Math.max(0, written() - capacity);
    }

    /** The seq of the update at {@code index}, or {@link #NOT_HELD} when it is not (or no longer) held. */
    public long seqAt(final long index) {
        if (capacity == 0 || index < 0) {
            return NOT_HELD;
        }
        final int slot = (int) (index % capacity);
        if ((long) VERSIONS.getAcquire(versions, slot) != index) {
            return NOT_HELD;
        }
        final long seq = seqs[slot];
        return intact(index) ? seq : NOT_HELD;
    }

    /** The symbol id of the update at {@code index}; a plain read, to be confirmed by {@link #intact}. */
    int symbolIdAt(final long index) {
        return symbolIds[(int) (index % capacity)];
    }

    /**
     * Copies the record of the update at {@code index} to {@code dst} at {@code offset}; a plain copy, to be
     * confirmed by {@link #intact} afterwards.
     */
    void copyRecord(final long index, final byte[] dst, final int offset) {
        System.arraycopy(records, (int) (index % capacity) * BinaryRecords.QUOTE_LENGTH, dst, offset,
            BinaryRecords.QUOTE_LENGTH);
    }

    /**
     * After reading the update at {@code index} (and any later ones written before the reading began): whether
     * {@code index} still holds it, and so whether what was read is whole. The fence keeps the reads before it
     * from moving after the version check.
     */
    boolean intact(final long index) {
        VarHandle.loadLoadFence();
        return (long) VERSIONS.getAcquire(versions, (int) (index % capacity)) == index;
    }
}
