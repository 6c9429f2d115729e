package io.ticker.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The feed's binary message: one fixed 80-byte little-endian layout for every message on the feed stream (see
 * {@code docs/FEED.md}, and {@code QuoteMessageCodecTest}, which pins the offsets). Three message types share it:
 * <ul>
 *     <li>{@link #TYPE_QUOTE}: a live update, carrying the seq the feed's sequencer gave it; contiguous on a
 *     stream, so a jump is a gap;</li>
 *     <li>{@link #TYPE_SNAPSHOT}: the last quote of one symbol, repeated periodically with its original seq, so a
 *     receiver that joined late or lost messages catches up;</li>
 *     <li>{@link #TYPE_HEARTBEAT}: the feed's identity (universe size, seed, fingerprint), its session's epoch and
 *     its newest seq, announcing the snapshot messages that follow it.</li>
 * </ul>
 * Encodes into and decodes from a caller's byte array; allocates nothing. Stateless.
 */
public final class QuoteMessageCodec {
    /** Bytes in every message. */
    public static final int LENGTH = 80;
    /** The layout's version, in every message; a receiver refuses other versions. */
    public static final byte VERSION = 1;

    public static final byte TYPE_QUOTE = 1;
    public static final byte TYPE_SNAPSHOT = 2;
    public static final byte TYPE_HEARTBEAT = 3;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    /** Reserved, zero. */
    public static final int FLAGS_OFFSET = 2;
    /** Quote and snapshot: symbol id. Heartbeat: symbols in the universe. */
    public static final int SYMBOL_ID_OFFSET = 4;
    /** Quote and snapshot: the update's seq. Heartbeat: the newest seq the feed has published, -1 before any. */
    public static final int SEQ_OFFSET = 8;
    /** Heartbeat: the feed's seed (in the bid slot). */
    public static final int BID_OFFSET = 16;
    /** Heartbeat: the universe's fingerprint (in the bid size slot). */
    public static final int BID_SIZE_OFFSET = 24;
    /** Heartbeat: snapshot messages that follow it (in the ask slot). */
    public static final int ASK_OFFSET = 32;
    public static final int ASK_SIZE_OFFSET = 40;
    public static final int LAST_OFFSET = 48;
    public static final int LAST_SIZE_OFFSET = 56;
    public static final int VOLUME_OFFSET = 64;
    /** In a heartbeat, the feed session's epoch (where a quote has its ask size). */
    public static final int HEARTBEAT_EPOCH_OFFSET = ASK_SIZE_OFFSET;
    /** Microseconds since the Unix epoch: when the feed made the quote, or sent the heartbeat. */
    public static final int TIMESTAMP_OFFSET = 72;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private QuoteMessageCodec() {
    }

    /**
     * Writes a quote or snapshot message of {@code quote} with {@code seq} at {@code offset}.
     *
     * @param type {@link #TYPE_QUOTE} or {@link #TYPE_SNAPSHOT}
     * @return the offset after the message
     */
    public static int encodeQuote(
        final byte[] buffer, final int offset, final byte type, final long seq, final Quote quote) {
        header(buffer, offset, type);
        INT.set(buffer, offset + SYMBOL_ID_OFFSET, quote.symbolId);
        LONG.set(buffer, offset + SEQ_OFFSET, seq);
        LONG.set(buffer, offset + BID_OFFSET, quote.bid);
        LONG.set(buffer, offset + BID_SIZE_OFFSET, quote.bidSize);
        LONG.set(buffer, offset + ASK_OFFSET, quote.ask);
        LONG.set(buffer, offset + ASK_SIZE_OFFSET, quote.askSize);
        LONG.set(buffer, offset + LAST_OFFSET, quote.last);
        LONG.set(buffer, offset + LAST_SIZE_OFFSET, quote.lastSize);
        LONG.set(buffer, offset + VOLUME_OFFSET, quote.volume);
        LONG.set(buffer, offset + TIMESTAMP_OFFSET, quote.timestampMicros);
        return offset + LENGTH;
    }

    /**
     * Writes a heartbeat at {@code offset}.
     *
     * @param symbols           symbols in the feed's universe
     * @param lastSeq           the newest seq published, -1 before any
     * @param seed              the seed the universe was generated from
     * @param fingerprint       {@code SymbolUniverse.fingerprint()}: tells universes apart whatever made them
     * @param snapshotCount     snapshot messages that follow this heartbeat
     * @param epoch             the feed session's epoch: positive, different for every start of the feed
     * @param timestampMicros   when it was sent, microseconds since the Unix epoch
     * @return the offset after the message
     */
    public static int encodeHeartbeat(
        final byte[] buffer,
        final int offset,
        final int symbols,
        final long lastSeq,
        final long seed,
        final long fingerprint,
        final int snapshotCount,
        final long epoch,
        final long timestampMicros) {
        header(buffer, offset, TYPE_HEARTBEAT);
        INT.set(buffer, offset + SYMBOL_ID_OFFSET, symbols);
        LONG.set(buffer, offset + SEQ_OFFSET, lastSeq);
        LONG.set(buffer, offset + BID_OFFSET, seed);
        LONG.set(buffer, offset + BID_SIZE_OFFSET, fingerprint);
        LONG.set(buffer, offset + ASK_OFFSET, (long) snapshotCount);
        LONG.set(buffer, offset + HEARTBEAT_EPOCH_OFFSET, epoch);
        for (int field = HEARTBEAT_EPOCH_OFFSET + Long.BYTES; field < TIMESTAMP_OFFSET; field += Long.BYTES) {
            LONG.set(buffer, offset + field, 0L);
        }
        LONG.set(buffer, offset + TIMESTAMP_OFFSET, timestampMicros);
        return offset + LENGTH;
    }

    private static void header(final byte[] buffer, final int offset, final byte type) {
        buffer[offset + TYPE_OFFSET] = type;
        buffer[offset + VERSION_OFFSET] = VERSION;
        buffer[offset + FLAGS_OFFSET] = 0;
        buffer[offset + FLAGS_OFFSET + 1] = 0;
    }

    /** The message type at {@code offset}; 0 if the version is not {@link #VERSION}. */
    public static byte type(final byte[] buffer, final int offset) {
        return buffer[offset + VERSION_OFFSET] == VERSION ? buffer[offset + TYPE_OFFSET] : 0;
    }

    /** The seq of a quote or snapshot, or the newest seq of a heartbeat. */
    public static long seq(final byte[] buffer, final int offset) {
        return (long) LONG.get(buffer, offset + SEQ_OFFSET);
    }

    /** Fills {@code quote} from a quote or snapshot message at {@code offset} and returns it. */
    public static Quote decodeQuote(final byte[] buffer, final int offset, final Quote quote) {
        quote.symbolId = (int) INT.get(buffer, offset + SYMBOL_ID_OFFSET);
        quote.bid = (long) LONG.get(buffer, offset + BID_OFFSET);
        quote.bidSize = (long) LONG.get(buffer, offset + BID_SIZE_OFFSET);
        quote.ask = (long) LONG.get(buffer, offset + ASK_OFFSET);
        quote.askSize = (long) LONG.get(buffer, offset + ASK_SIZE_OFFSET);
        quote.last = (long) LONG.get(buffer, offset + LAST_OFFSET);
        quote.lastSize = (long) LONG.get(buffer, offset + LAST_SIZE_OFFSET);
        quote.volume = (long) LONG.get(buffer, offset + VOLUME_OFFSET);
        quote.timestampMicros = (long) LONG.get(buffer, offset + TIMESTAMP_OFFSET);
        return quote;
    }

    /** A heartbeat's universe size. */
    public static int heartbeatSymbols(final byte[] buffer, final int offset) {
        return (int) INT.get(buffer, offset + SYMBOL_ID_OFFSET);
    }

    /** A heartbeat's seed. */
    public static long heartbeatSeed(final byte[] buffer, final int offset) {
        return (long) LONG.get(buffer, offset + BID_OFFSET);
    }

    /** A heartbeat's universe fingerprint. */
    public static long heartbeatFingerprint(final byte[] buffer, final int offset) {
        return (long) LONG.get(buffer, offset + BID_SIZE_OFFSET);
    }

    /** A heartbeat's epoch: which session of the feed sent it; 0 from a feed that predates epochs. */
    public static long heartbeatEpoch(final byte[] buffer, final int offset) {
        return (long) LONG.get(buffer, offset + HEARTBEAT_EPOCH_OFFSET);
    }

    /** How many snapshot messages follow a heartbeat. */
    public static int heartbeatSnapshotCount(final byte[] buffer, final int offset) {
        return (int) (long) LONG.get(buffer, offset + ASK_OFFSET);
    }

    /** A message's timestamp, microseconds since the Unix epoch. */
    public static long timestampMicros(final byte[] buffer, final int offset) {
        return (long) LONG.get(buffer, offset + TIMESTAMP_OFFSET);
    }
}
