package io.ticker.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscriber's frame has a ceiling: when one drain brings more quotes than fit (an IO thread that fell behind takes
 * a backlog of batches at once), the full frame goes out and the rest wait in the conflation slots, one per symbol,
 * rather than every update of the backlog piling into one frame for every subscriber.
 */
class FrameCapTest {
    @Test
    void shouldSendAFullFrameAndConflateTheRestOfAnOversizedBatch() {
        final SymbolUniverse universe = SymbolUniverse.generate(500, QuoteTape.SEED);
        final FanoutFixture fixture = new FanoutFixture(universe);
        // The client takes the ack and snapshots, then stops reading.
        final InMemoryFrameSink sink = InMemoryFrameSink.stallsAfter(1);
        fixture.addSubscriber(0, sink, List.of("*"));
        final long framesAfterSubscribe = sink.frames();
        final long bytesAfterSubscribe = sink.bytes();

        // One ring batch of 10,000 updates: about 2 MB of JSON, ten times the universe.
        final Quote[] tape = QuoteTape.record(universe);
        final int updates = 10_000;
        for (int i = 0; i < updates; i++) {
            fixture.publish(tape[i % tape.length], i == updates - 1);
        }

        assertEquals(1, framesAfterSubscribe, "the ack (no snapshots yet) in one frame");
        assertEquals(framesAfterSubscribe + 1, sink.frames(), "one more frame, then the client is not reading");
        final long frameBytes = sink.bytes() - bytesAfterSubscribe;
        assertTrue(frameBytes <= 64 * 1024 + 512, "the frame stopped at the cap: " + frameBytes + " bytes");
        assertTrue(fixture.quotesConflated() > updates - 1000, "the rest were conflated: " + fixture.quotesConflated());
    }
}
