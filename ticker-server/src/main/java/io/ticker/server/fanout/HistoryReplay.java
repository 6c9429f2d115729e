package io.ticker.server.fanout;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.BinaryRecordReader;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.Command;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteJsonEncoder;
import io.ticker.server.book.HistoryReader;
import io.ticker.server.book.QuoteHistory;
import java.util.Arrays;

/**
 * One shard's side of resume by seq: where the shard stands in the {@link QuoteHistory} (the feed session it follows
 * and the last update it delivered), whether a {@code since} can be honoured, and the replayed quotes in both
 * encodings, marked replayed. It runs on the shard's IO thread between two drains, so the quotes it collects end
 * exactly where the live ones the shard delivers next begin: no gap and no duplicate.
 */
final class HistoryReplay {
    /** The history no longer reaches the first update after since, or never did (the server joined later). */
    static final String TOO_OLD = "too-old";
    /** Since belongs to another feed session. */
    static final String OTHER_EPOCH = "epoch";
    /** Since is beyond the newest update this shard has delivered. */
    static final String FUTURE = "future";

    private final HistoryReader reader;
    private final SymbolUniverse universe;
    private final boolean[] wanted;
    private final BinaryRecordReader record = new BinaryRecordReader();
    private final Quote quote = new Quote();
    private final byte[] json = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
    private int jsonLength;

    /** History index where the shard's current feed session begins. */
    private long epochStart;
    /** History index after the last update the shard has delivered. */
    private long deliveredEnd;
    /** Seq of the last update the shard has delivered in this session; -1 before the first. */
    private long lastSeq = -1;

    HistoryReplay(final QuoteHistory history, final SymbolUniverse universe) {
        this.reader = new HistoryReader(history);
        this.universe = universe;
        this.wanted = new boolean[universe.size()];
    }

    /** A shard's replay over an empty history: every resume is too old, and nothing is ever encoded. */
    HistoryReplay(final QuoteHistory empty, final int symbolCount) {
        this.reader = new HistoryReader(empty);
        this.universe = null;
        this.wanted = new boolean[symbolCount];
    }

    /** The shard delivered {@code batch}: the history up to its end is what a resume may read. */
    void delivered(final QuoteBatch batch) {
        if (batch.newEpoch() != 0) {
            epochStart = batch.historyEnd() - batch.count();
            lastSeq = -1;
        }
        deliveredEnd = batch.historyEnd();
        if (batch.count() > 0) {
            lastSeq = batch.seq(batch.count() - 1);
        }
    }

    /** Marks {@code symbolId} as one the next {@link #collect} replays. */
    void want(final int symbolId) {
        wanted[symbolId] = true;
    }

    /**
     * Collects every held update after {@code since} of the symbols {@link #want}ed, or of every symbol when
     * {@code all}; returns null when it could (the updates are then {@link #count()} and the rest), else the reason
     * for {@code recovered:false}. Clears the wanted symbols either way.
     */
    String collect(final long since, final long askedEpoch, final long currentEpoch, final boolean all) {
        try {
            if (askedEpoch != Command.NO_EPOCH && askedEpoch != currentEpoch) {
                return OTHER_EPOCH;
            }
            if (since > lastSeq) {
                return FUTURE;
            }
            return reader.collect(epochStart, deliveredEnd, since, all ? null : wanted) ? null : TOO_OLD;
        } finally {
            Arrays.fill(wanted, false);
        }
    }

    /** Updates collected, in seq order. */
    int count() {
        return reader.count();
    }

    int symbolId(final int i) {
        return reader.symbolId(i);
    }

    /** The binary record of collected update {@code i}, flagged replayed: at {@link #recordOffset} of this. */
    byte[] records() {
        return reader.records();
    }

    /** Where collected update {@code i}'s record starts in {@link #records()}; sets its replayed flag there. */
    int recordOffset(final int i) {
        final int offset = reader.recordOffset(i);
        reader.records()[offset + BinaryRecords.FLAGS_OFFSET] |= BinaryRecords.FLAG_REPLAYED;
        return offset;
    }

    /** Encodes collected update {@code i} as its JSON object, marked replayed, into {@link #json()}; its length. */
    int encodeJson(final int i) {
        record.wrap(reader.records(), reader.recordOffset(i), BinaryRecords.QUOTE_LENGTH).next();
        record.decodeQuote(quote);
        final int symbolId = reader.symbolId(i);
        quote.symbolId = symbolId;
        jsonLength = QuoteJsonEncoder.encodeReplayed(json, 0, universe.symbolAscii(symbolId), record.seq(), quote);
        return jsonLength;
    }

    /** The JSON object {@link #encodeJson} wrote, from 0. */
    byte[] json() {
        return json;
    }

    /** Once the collected updates are sent: gives back what a large replay grew. */
    void release() {
        reader.release();
    }
}
