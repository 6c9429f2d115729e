package io.ticker.server.book;

import io.ticker.protocol.BinaryRecords;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One fan-out shard's reader of the {@link QuoteHistory}: collects the held updates a resuming subscriber missed into
 * its own buffer, whole and checked, before any of them is sent. Copy first and send after, because the writer may
 * overwrite what is being read: a replay that found out halfway could not take back what it had sent.
 *
 * <p>Owned by one thread (the shard's); the buffer grows to the largest replay and is cut back after one larger
 * than {@link #RETAINED_RECORDS}, so a rare resume of a whole history does not pin megabytes per shard.
 */
public final class HistoryReader {
    /** Collected updates whose buffer is kept between replays. */
    static final int RETAINED_RECORDS = 4096;
    /** Tries before a replay the writer keeps overtaking is given up as too old. */
    static final int ATTEMPTS = 3;

    private static final VarHandle LONG =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final QuoteHistory history;
    private byte[] records = new byte[64 * BinaryRecords.QUOTE_LENGTH];
    private int[] symbolIds = new int[64];
    private int count;

    /** A reader of {@code history}. */
    public HistoryReader(final QuoteHistory history) {
        this.history = history;
    }

    /**
     * Collects, in seq order, every update at an index in {@code [epochStart, end)} with a seq above {@code since}
     * whose symbol {@code wanted} holds ({@code null}: every symbol). {@code end} must be at most the history's
     * {@link QuoteHistory#written()} as this thread has seen it (what the shard has delivered: those indices were
     * written before the batches that carried them were handed over). Returns whether the history held all of them:
     * false when it no longer reaches back to the first update after {@code since} (then nothing is collected).
     */
    public boolean collect(final long epochStart, final long end, final long since, final boolean[] wanted) {
        count = 0;
        if (end <= epochStart) {
            return true;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final long oldest = Math.max(epochStart, history.oldestHeld());
            if (oldest >= end) {
                return false;
            }
            final long oldestSeq = history.seqAt(oldest);
            if (oldestSeq == QuoteHistory.NOT_HELD) {
                continue; // overtaken since oldestHeld(): look again
            }
            // The anchor proves the reach: the first update after since, or the one just before it.
            final long anchor;
            if (oldestSeq > since) {
                if (oldestSeq - 1 > since) {
                    return false; // updates between since and the oldest held are gone, or never reached us
                }
                anchor = oldest;
            } else {
                final long first = firstAfter(oldest, end, since);
                if (first == QuoteHistory.NOT_HELD) {
                    continue;
                }
                anchor = first - 1;
            }
            copy(anchor, end, since, wanted);
            if (history.intact(anchor)) {
                return true;
            }
            count = 0;
        }
        return false;
    }

    /**
     * The lowest index in {@code (from, end)} whose seq is above {@code since}, knowing the one at {@code from} is
     * not; {@code end} if none is. {@link QuoteHistory#NOT_HELD} if a probe found its update overwritten.
     */
    private long firstAfter(final long from, final long end, final long since) {
        long low = from + 1;
        long high = end;
        while (low < high) {
            final long middle = (low + high) >>> 1;
            final long seq = history.seqAt(middle);
            if (seq == QuoteHistory.NOT_HELD) {
                return QuoteHistory.NOT_HELD;
            }
            if (seq > since) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private void copy(final long anchor, final long end, final long since, final boolean[] wanted) {
        for (long index = anchor; index < end; index++) {
            final int symbolId = history.symbolIdAt(index);
            if (wanted != null && (symbolId < 0 || symbolId >= wanted.length || !wanted[symbolId])) {
                continue;
            }
            ensureRoom(count + 1);
            final int offset = count * BinaryRecords.QUOTE_LENGTH;
            history.copyRecord(index, records, offset);
            if (seqOf(offset) <= since) {
                continue; // the anchor itself, when it is the update before since's successor
            }
            symbolIds[count++] = symbolId;
        }
    }

    private long seqOf(final int recordOffset) {
        return (long) LONG.get(records, recordOffset + BinaryRecords.SEQ_OFFSET);
    }

    private void ensureRoom(final int needed) {
        if (needed > symbolIds.length) {
            final int capacity = Math.max(needed, symbolIds.length * 2);
            symbolIds = Arrays.copyOf(symbolIds, capacity);
            records = Arrays.copyOf(records, capacity * BinaryRecords.QUOTE_LENGTH);
        }
    }

    /** Call once the collected updates are sent: drops a buffer a large replay grew. */
    public void release() {
        count = 0;
        if (symbolIds.length > RETAINED_RECORDS) {
            symbolIds = new int[64];
            records = new byte[64 * BinaryRecords.QUOTE_LENGTH];
        }
    }

    /** Updates collected by the last {@link #collect}, in seq order. */
    public int count() {
        return count;
    }

    /** The symbol id of collected update {@code i}. */
    public int symbolId(final int i) {
        return symbolIds[i];
    }

    /** The collected binary records: update {@code i}'s starts at {@link #recordOffset}. */
    public byte[] records() {
        return records;
    }

    /** Where collected update {@code i}'s record starts in {@link #records()}. */
    public int recordOffset(final int i) {
        return i * BinaryRecords.QUOTE_LENGTH;
    }

    /** The seq of collected update {@code i}. */
    public long seq(final int i) {
        return seqOf(recordOffset(i));
    }
}
