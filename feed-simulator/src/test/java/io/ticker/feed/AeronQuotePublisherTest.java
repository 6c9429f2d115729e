package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteMessageCodec;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The publisher over a real embedded media driver (IPC): seqs from 0, and a heartbeat with the snapshot. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronQuotePublisherTest {
    private static final long SEED = 11;

    @Test
    void shouldSequenceQuotesAndFollowEachHeartbeatWithTheLastQuoteOfEverySymbol() throws Exception {
        final SymbolUniverse universe = SymbolUniverse.generate(5, SEED);
        final String directory;
        try (AeronConnection connection = AeronConnection.open(null, "test")) {
            directory = connection.directory();
            assertTrue(connection.embeddedDriver());
            final Subscription subscription = connection.aeron().addSubscription("aeron:ipc", 7);
            final ExclusivePublication publication = connection.aeron().addExclusivePublication("aeron:ipc", 7);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!publication.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(publication.isConnected(), "the subscription joined");

            final ManualClock clock = new ManualClock(0);
            final AeronQuotePublisher publisher = new AeronQuotePublisher(universe, SEED, List.of(publication),
                1_000_000, clock, clock);
            final Quote quote = new Quote();
            for (final int symbolId : new int[] {3, 1, 3}) {
                quote.symbolId = symbolId;
                quote.bid = 100 + publisher.nextSeq();
                publisher.onQuote(quote);
            }
            assertEquals(3, publisher.doWork(), "a receiver arrived: a heartbeat and the two symbols quoted, at once");
            assertEquals(0, publisher.doWork(), "no more before the interval");
            clock.advanceNanos(1_000_000);
            assertEquals(3, publisher.doWork(), "the interval's heartbeat and the two symbols quoted");

            final List<String> received = new ArrayList<>();
            final byte[] message = new byte[QuoteMessageCodec.LENGTH];
            final Quote decoded = new Quote();
            while (received.size() < 9 && System.nanoTime() < deadline) {
                subscription.poll((buffer, offset, length, header) -> {
                    buffer.getBytes(offset, message, 0, length);
                    final byte type = QuoteMessageCodec.type(message, 0);
                    if (type == QuoteMessageCodec.TYPE_HEARTBEAT) {
                        received.add("heartbeat last " + QuoteMessageCodec.seq(message, 0) + " symbols "
                            + QuoteMessageCodec.heartbeatSymbols(message, 0) + " snapshots "
                            + QuoteMessageCodec.heartbeatSnapshotCount(message, 0) + " fingerprint ok "
                            + (QuoteMessageCodec.heartbeatFingerprint(message, 0) == UniverseFingerprint.of(universe))
                            + " epoch " + QuoteMessageCodec.heartbeatEpoch(message, 0));
                    } else {
                        QuoteMessageCodec.decodeQuote(message, 0, decoded);
                        received.add((type == QuoteMessageCodec.TYPE_QUOTE ? "quote " : "snapshot ")
                            + QuoteMessageCodec.seq(message, 0) + " symbol " + decoded.symbolId
                            + " bid " + decoded.bid);
                    }
                }, 10);
            }
            final String heartbeat = "heartbeat last 2 symbols 5 snapshots 2 fingerprint ok true epoch "
                + publisher.epoch();
            assertEquals(List.of(
                "quote 0 symbol 3 bid 100", "quote 1 symbol 1 bid 101", "quote 2 symbol 3 bid 102",
                heartbeat, "snapshot 1 symbol 1 bid 101", "snapshot 2 symbol 3 bid 102",
                heartbeat, "snapshot 1 symbol 1 bid 101", "snapshot 2 symbol 3 bid 102"), received);
            assertEquals(1_763_800_000_000_000L, publisher.epoch(), "the start time in microseconds");
            assertEquals(9, publisher.messagesSent());
            assertEquals(0, publisher.messagesDropped());
        }
        assertFalse(new File(directory).exists(), "the embedded driver's directory is gone after close");
    }
}
