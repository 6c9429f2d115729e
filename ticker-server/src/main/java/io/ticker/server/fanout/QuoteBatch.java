package io.ticker.server.fanout;

import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteBinaryEncoder;
import io.ticker.protocol.QuoteJsonEncoder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The updates of one ring batch, each encoded once per subprotocol: the unit handed from the ring thread to every
 * fan-out shard. Every update is held as its JSON object and as its {@code ticker.v1.binary} record (a fixed 104
 * bytes, so update {@code i}'s record is at {@code i * 104}); both are written here, once, whoever subscribes, since
 * the binary record costs a few stores next to the JSON's number formatting. Batches are pooled and reused;
 * {@link #release()} by the last shard returns one to its pool.
 */
final class QuoteBatch {
    private static final int INITIAL_QUOTES = 64;

    private byte[] bytes = new byte[INITIAL_QUOTES * QuoteJsonEncoder.MAX_QUOTE_LENGTH];
    private byte[] binaryBytes = new byte[INITIAL_QUOTES * BinaryRecords.QUOTE_LENGTH];
    private int[] symbolIds = new int[INITIAL_QUOTES];
    private int[] offsets = new int[INITIAL_QUOTES];
    private int[] lengths = new int[INITIAL_QUOTES];
    private long[] seqs = new long[INITIAL_QUOTES];
    private long[] publishNanos = new long[INITIAL_QUOTES];
    private int count;
    private int byteLength;
    /** Non-zero when the batch starts a new feed session, this epoch: applied before its updates. */
    private long newEpoch;
    /** The history's {@code written()} after this batch's last update: where the shard's delivered updates end. */
    private long historyEnd;
    private final AtomicInteger shardsToGo = new AtomicInteger();
    private final BatchPool pool;

    QuoteBatch(final BatchPool pool) {
        this.pool = pool;
    }

    /**
     * Encodes one update at the end of the batch, with the {@link System#nanoTime()} at which it entered the ring.
     * Ring thread only.
     */
    void add(final long seq, final Quote quote, final byte[] symbolAscii, final long enteredRingNanos) {
        if (count == symbolIds.length) {
            final int capacity = count * 2;
            symbolIds = Arrays.copyOf(symbolIds, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            seqs = Arrays.copyOf(seqs, capacity);
            binaryBytes = Arrays.copyOf(binaryBytes, capacity * BinaryRecords.QUOTE_LENGTH);
            publishNanos = Arrays.copyOf(publishNanos, capacity);
        }
        if (byteLength + QuoteJsonEncoder.MAX_QUOTE_LENGTH > bytes.length) {
            bytes = Arrays.copyOf(bytes, bytes.length * 2);
        }
        final int end = QuoteJsonEncoder.encode(bytes, byteLength, symbolAscii, seq, quote);
        QuoteBinaryEncoder.encode(binaryBytes, count * BinaryRecords.QUOTE_LENGTH, symbolAscii, seq, quote);
        symbolIds[count] = quote.symbolId;
        offsets[count] = byteLength;
        lengths[count] = end - byteLength;
        seqs[count] = seq;
        publishNanos[count] = enteredRingNanos;
        byteLength = end;
        count++;
    }

    int count() {
        return count;
    }

    /** Makes the batch, still empty, the first of feed session {@code epoch}. Ring thread only. */
    void startEpoch(final long epoch) {
        newEpoch = epoch;
    }

    /** Records where the batch ends in the history: its updates are the {@link #count()} indices before. */
    void historyEnd(final long index) {
        historyEnd = index;
    }

    /** The history index after this batch's last update. */
    long historyEnd() {
        return historyEnd;
    }

    /** The epoch this batch starts, 0 if it continues the current session. */
    long newEpoch() {
        return newEpoch;
    }

    byte[] bytes() {
        return bytes;
    }

    /** The binary records: that of update {@code index} starts at {@link #binaryOffset}. */
    byte[] binaryBytes() {
        return binaryBytes;
    }

    /** Where the binary record of update {@code index} starts in {@link #binaryBytes()}. */
    static int binaryOffset(final int index) {
        return index * BinaryRecords.QUOTE_LENGTH;
    }

    int symbolId(final int index) {
        return symbolIds[index];
    }

    int offset(final int index) {
        return offsets[index];
    }

    int length(final int index) {
        return lengths[index];
    }

    long seq(final int index) {
        return seqs[index];
    }

    /** When update {@code index} entered the ring, {@link System#nanoTime()}. */
    long publishNanos(final int index) {
        return publishNanos[index];
    }

    /** Hands the batch to {@code shards} readers. Ring thread only, before offering it. */
    void retain(final int shards) {
        shardsToGo.set(shards);
    }

    /** Called by each shard when done with the batch; the last one clears it and returns it to the pool. */
    void release() {
        if (shardsToGo.decrementAndGet() == 0) {
            count = 0;
            byteLength = 0;
            newEpoch = 0;
            pool.give(this);
        }
    }
}
