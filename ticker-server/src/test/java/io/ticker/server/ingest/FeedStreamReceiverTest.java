package io.ticker.server.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
    private static final long EPOCH = 1_765_000_000_000_000L;
    private final SymbolUniverse universe = SymbolUniverse.generate(10, SEED);
    private final List<String> passed = new ArrayList<>();
    /** The new-epoch events put down the ring, in order with the updates. */
    private final List<Long> epochs = new ArrayList<>();
    private long epoch = EPOCH;
    private int session;
    private final List<String> problems = new ArrayList<>();
    private final byte[] message = new byte[QuoteMessageCodec.LENGTH];
    private FeedStreamReceiver receiver;

    @BeforeEach
    void setUp() {
        receiver = new FeedStreamReceiver(universe, SEED, update -> {
            if (update.newEpoch != 0) {
                epochs.add(update.newEpoch);
                passed.add("epoch " + update.newEpoch);
            } else {
                passed.add(update.quote.symbolId + "@" + update.seq + ":" + update.quote.bid);
            }
        }, problems::add, () -> 1_000);
    }

    private void heartbeat(final long lastSeq, final int snapshots) {
        heartbeat(universe.size(), UniverseFingerprint.of(universe), lastSeq, snapshots);
    }

    private void heartbeat(final int symbols, final long fingerprint, final long lastSeq, final int snapshots) {
        QuoteMessageCodec.encodeHeartbeat(message, 0, symbols, lastSeq, SEED, fingerprint, snapshots, epoch, 1);
        receiver.onMessage(message, 0, session);
    }

    private void quote(final byte type, final long seq, final int symbolId, final long bid) {
        final Quote quote = new Quote();
        quote.symbolId = symbolId;
        quote.bid = bid;
        QuoteMessageCodec.encodeQuote(message, 0, type, seq, quote);
        receiver.onMessage(message, 0, session);
    }

    @Test
    void shouldPassQuotesWithTheFeedsSeqOnceTheFeedIsVerified() {
        quote(QuoteMessageCodec.TYPE_QUOTE, 5, 1, 100);
        assertEquals(List.of(), passed, "nothing before the first heartbeat");
        heartbeat(5, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 6, 1, 101);
        quote(QuoteMessageCodec.TYPE_QUOTE, 7, 2, 102);
        assertEquals(List.of("epoch " + EPOCH, "1@6:101", "2@7:102"), passed);
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
        assertEquals(List.of("epoch " + EPOCH, "1@0:100", "2@4:104", "3@3:103"), passed);
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
        assertEquals(List.of("epoch " + EPOCH, "1@0:100", "1@1:101"), passed);
    }

    @Test
    void shouldRefuseAFeedWithAnotherUniverseAndSaySo() {
        heartbeat(universe.size() + 1, 123, -1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 100);
        assertEquals(List.of("epoch " + EPOCH), passed);
        assertTrue(receiver.notLiveReason(System.nanoTime()).contains("universe"));
        assertEquals(1, receiver.feedUniverseMismatch());
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("--symbols and --seed"), problems.get(0));
        heartbeat(universe.size() + 1, 123, 0, 0);
        assertEquals(1, problems.size(), "said once");
        heartbeat(0, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 1, 1, 101);
        assertEquals(List.of("epoch " + EPOCH, "1@1:101"), passed);
        assertEquals(0, receiver.feedUniverseMismatch());
        assertNull(receiver.notLiveReason(System.nanoTime()));
    }

    @Test
    void shouldBeLiveOnlyOnceTheFirstFullSnapshotIsIn() {
        assertEquals("no message from the feed yet", receiver.notLiveReason(System.nanoTime()));
        quote(QuoteMessageCodec.TYPE_QUOTE, 5, 1, 100);
        assertEquals("waiting for the feed's first heartbeat", receiver.notLiveReason(System.nanoTime()));
        heartbeat(5, 2);
        assertEquals("loading the feed's snapshot", receiver.notLiveReason(System.nanoTime()),
            "a late joiner: its book lacks what the snapshot brings");
        quote(QuoteMessageCodec.TYPE_SNAPSHOT, 4, 1, 100);
        assertEquals("loading the feed's snapshot", receiver.notLiveReason(System.nanoTime()));
        quote(QuoteMessageCodec.TYPE_SNAPSHOT, 5, 2, 100);
        assertNull(receiver.notLiveReason(System.nanoTime()));
        assertTrue(receiver.notLiveReason(System.nanoTime() + FeedStreamReceiver.FEED_SILENCE_LIMIT_NS + 1)
            .startsWith("nothing from the feed for"), "silent past the limit");
    }

    @Test
    void shouldStartANewSessionWhenTheFeedRestartsWithItsSeqFromZero() {
        heartbeat(-1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 100);
        quote(QuoteMessageCodec.TYPE_QUOTE, 1, 2, 101);
        // the feed restarts: a new Aeron session, a new epoch, seq from 0 again
        session = 77;
        epoch = EPOCH + 5_000_000;
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 200);
        assertEquals(List.of(EPOCH), epochs, "nothing of the new session before its heartbeat");
        heartbeat(-1, 0);
        quote(QuoteMessageCodec.TYPE_QUOTE, 0, 1, 201);
        quote(QuoteMessageCodec.TYPE_QUOTE, 1, 2, 202);
        assertEquals(List.of("epoch " + EPOCH, "1@0:100", "2@1:101", "epoch " + epoch, "1@0:201", "2@1:202"), passed,
            "the new epoch goes down the ring ahead of the new session's quotes, which pass though their seq is lower");
        assertEquals(epoch, receiver.feedEpoch());
        assertEquals(2, receiver.feedSessions());
        assertEquals(0, receiver.feedGaps(), "a restart is not a gap");
        // a late message of the old session is refused
        session = 0;
        quote(QuoteMessageCodec.TYPE_QUOTE, 2, 1, 102);
        assertEquals(6, passed.size());
        assertTrue(problems.get(problems.size() - 1).contains("new session"), problems.toString());
    }
}
