package io.ticker.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import io.ticker.feed.UniverseFingerprint;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteMessageCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedStreamReceiverTest {
    private static final long SEED = 7;
    private final SymbolUniverse universe = SymbolUniverse.generate(10, SEED);
    private final List<String> passed = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final byte[] message = new byte[QuoteMessageCodec.LENGTH];
    private FeedStreamReceiver receiver;

    @BeforeEach
    void setUp() {
        receiver = new FeedStreamReceiver(universe, SEED,
            update -> passed.add(update.quote.symbolId + "@" + update.seq + ":" + update.quote.bid),
            problems::add, () -> 1_000);
    }

    private void heartbeat(final long lastSeq, final int snapshots) {
        heartbeat(universe.size(), UniverseFingerprint.of(universe), lastSeq, snapshots);
    }

    private void heartbeat(final int symbols, final long fingerprint, final long lastSeq, final int snapshots) {
        QuoteMessageCodec.encodeHeartbeat(message, 0, symbols, lastSeq, SEED, fingerprint, snapshots, 1);
        receiver.onMessage(message, 0);
    }

    private void quote(final byte type, final long seq, final int symbolId, final long bid) {
        final Quote quote = new Quote();
        quote.symbolId = symbolId;
        quote.bid = bid;
        QuoteMessageCodec.encodeQuote(message, 0, type, seq, quote);
        receiver.onMessage(message, 0);
    }

    @Test
    void shouldPassQuotesWithTheFeedsSeqOnceTheFeedIsVerified() {
        quote(QuoteMessageCodec.TYPE_QUOTE, 5, 1, 100);
        assertEquals(List.of(), passed, "nothing before the first heartbeat");
        heartbeat(5, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 6, 1, 101);
        quote(QuoteMessageCodec.TYPE_QUOTE, 7, 2, 102);
        assertEquals(List.of("1@6:101", "2@7:102"), passed);
        assertEquals(0, receiver.feedGaps());
        assertEquals(1, receiver.feedMessagesRefused());
        assertEquals(7, receiver.feedLastSeq());
    }

    @Test
    void shouldCountAGapAndHealItWithTheNextFullSnapshot() {
        heartbeat(-1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 100);
        quote(QuoteMessageCodec.TYPE_QUOTE, 4, 2, 104);
        assertEquals(1, receiver.feedGaps());
        assertEquals(3, receiver.feedMessagesMissed());
        assertTrue(receiver.healing());

        heartbeat(4, 3);
        quote(QuoteMessageCodec.TYPE_SNAPSHOT, 0, 1, 100);
        quote(QuoteMessageCodec.TYPE_SNAPSHOT, 3, 3, 103);
        assertTrue(receiver.healing(), "healed only when the whole snapshot is in");
        quote(QuoteMessageCodec.TYPE_SNAPSHOT, 4, 2, 104);
        assertFalse(receiver.healing());
        assertEquals(1, receiver.feedGapsHealed());
        assertEquals(1, receiver.feedSnapshotQuotesApplied(), "only symbol 3's snapshot was news");
        assertEquals(List.of("1@0:100", "2@4:104", "3@3:103"), passed);
    }

    @Test
    void shouldDetectMessagesLostAtTheTailFromTheHeartbeat() {
        heartbeat(-1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 100);
        heartbeat(2, 0);
        assertEquals(1, receiver.feedGaps());
        assertEquals(2, receiver.feedMessagesMissed());
        quote(QuoteMessageCodec.TYPE_QUOTE, 3, 1, 103);
        assertEquals(1, receiver.feedGaps(), "the heartbeat moved the expected seq on");
    }

    @Test
    void shouldNeverLetASymbolsSeqGoBack() {
        heartbeat(-1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 100);
        quote(QuoteMessageCodec.TYPE_QUOTE, 1, 1, 101);
        heartbeat(1, 1);
        quote(QuoteMessageCodec.TYPE_SNAPSHOT, 0, 1, 100);
        quote(QuoteMessageCodec.TYPE_QUOTE, 1, 1, 101);
        assertEquals(List.of("1@0:100", "1@1:101"), passed);
    }

    @Test
    void shouldRefuseAFeedWithAnotherUniverseAndSaySo() {
        heartbeat(universe.size() + 1, 123, -1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 100);
        assertEquals(List.of(), passed);
        assertEquals(1, receiver.feedUniverseMismatch());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("--symbols and --seed"), problems.get(0));
        heartbeat(universe.size() + 1, 123, 0, 0);
        assertEquals(1, problems.size(), "said once");
        heartbeat(0, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 1, 1, 101);
        assertEquals(List.of("1@1:101"), passed);
        assertEquals(0, receiver.feedUniverseMismatch());
    }
}
