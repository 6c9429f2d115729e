package io.ticker.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs each benchmark's operation a few times outside JMH and checks that the work it claims to measure happened, so
 * a benchmark that silently measures nothing fails the build. No timing here.
 */
class BenchmarkFixturesTest {
    private static final int OPERATIONS = 50;

    @Test
    void shouldEncodeQuotesAsTheBaselinesDo() {
        final QuoteEncodingBenchmark benchmark = new QuoteEncodingBenchmark();
        benchmark.setUp();
        for (int i = 0; i < OPERATIONS; i++) {
            final int encoded = benchmark.json();
            assertTrue(encoded > 100, "a quote object is over 100 bytes, was " + encoded);
            assertEquals(104, benchmark.binary());
            assertTrue(benchmark.baselineStringBuilder() > 100);
            assertTrue(benchmark.baselineStringFormat() > 100);
        }
    }

    @Test
    void shouldRunEveryBurstThroughTheRingAndTheFanout() {
        for (final String[] params : new String[][] {
            {"trivial", "blocking"}, {"fanout", "blocking"}, {"trivial", "inline"}, {"fanout", "inline"}}) {
            final String handler = params[0];
            final RingPublishBenchmark benchmark = new RingPublishBenchmark();
            benchmark.handler = handler;
            benchmark.waitStrategy = params[1];
            benchmark.setUp();
            long last = -1;
            for (int i = 0; i < OPERATIONS; i++) {
                last = benchmark.publishBurst();
            }
            benchmark.tearDown();
            assertEquals(OPERATIONS * RingPublishBenchmark.BURST - 1, last);
            if ("fanout".equals(handler)) {
                final FanoutFixture fanout = benchmark.fanout();
                assertEquals(OPERATIONS * RingPublishBenchmark.BURST - 1, fanout.publisher().lastSeq());
                // Each shard's firehose subscriber got every update.
                assertEquals((long) OPERATIONS * RingPublishBenchmark.BURST * RingPublishBenchmark.SHARDS,
                    fanout.quotesDelivered());
                assertTrue(fanout.bytesSent() > 0);
            }
        }
    }

    @Test
    void shouldFindIdsAndRouteQuotesToSubscribers() {
        final SubscriptionLookupBenchmark benchmark = new SubscriptionLookupBenchmark();
        benchmark.universeSize = SymbolUniverse.SYMBOLS_DEFAULT;
        benchmark.setUp();
        for (int i = 0; i < OPERATIONS; i++) {
            assertTrue(benchmark.idOf() >= 0, "every tape ticker is in the universe");
            assertTrue(benchmark.baselineHashMapIdOf() >= 0);
        }
        final long bytesBefore = benchmark.subscribed().bytesSent();
        for (int i = 0; i < OPERATIONS; i++) {
            benchmark.routeQuote();
            benchmark.baselineRouteQuoteToNobody();
        }
        assertTrue(benchmark.deliveriesPerQuote() > 1, "subscribers chose the busy symbols");
        assertTrue(benchmark.subscribed().quotesDelivered() > OPERATIONS);
        assertTrue(benchmark.subscribed().bytesSent() > bytesBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "binary"})
    void shouldDeliverEachUpdateToEverySubscriber(final String format) {
        final FanoutBenchmark benchmark = new FanoutBenchmark();
        benchmark.subscribers = 100;
        benchmark.format = format;
        benchmark.setUp();
        final FanoutFixture fixture = benchmark.fixture();
        final long bytesBefore = fixture.bytesSent();
        final long framesBefore = fixture.framesSent();
        for (int i = 0; i < OPERATIONS; i++) {
            benchmark.update();
        }
        assertEquals(OPERATIONS * 100L, fixture.quotesDelivered());
        assertEquals(OPERATIONS * 100L, fixture.framesSent() - framesBefore);
        assertTrue(fixture.bytesSent() - bytesBefore > OPERATIONS * 100L * 100);
        if ("binary".equals(format)) {
            // one 104-byte record per one-quote frame, in binary frames
            assertEquals(OPERATIONS * 100L * 104, fixture.bytesSent() - bytesBefore);
            assertEquals(fixture.framesSent(), fixture.binaryFramesSent());
        } else {
            assertEquals(0, fixture.binaryFramesSent());
        }
        for (int i = 0; i < OPERATIONS; i++) {
            benchmark.baselineUnsubscribedUpdate();
        }
        assertEquals(OPERATIONS * 100L, fixture.quotesDelivered(), "nobody gets the unsubscribed symbol");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "binary"})
    void shouldSendEveryFirehoseSubscriberTheSameTickWhetherTheFrameIsSharedOrNot(final String format) {
        final long[] bytes = new long[2];
        for (final boolean shared : new boolean[] {true, false}) {
            final FirehoseBenchmark benchmark = new FirehoseBenchmark();
            benchmark.subscribers = 5;
            benchmark.shared = shared;
            benchmark.format = format;
            benchmark.setUp();
            final FanoutFixture fixture = benchmark.fixture();
            final long framesBefore = fixture.framesSent();
            final long bytesBefore = fixture.bytesSent();
            for (int i = 0; i < OPERATIONS; i++) {
                benchmark.tick();
            }
            assertEquals(OPERATIONS * 5L, fixture.framesSent() - framesBefore, "a frame per subscriber per tick");
            assertEquals(OPERATIONS * 5L * FirehoseBenchmark.QUOTES_PER_TICK, fixture.quotesDelivered());
            bytes[shared ? 0 : 1] = fixture.bytesSent() - bytesBefore;
        }
        assertEquals(bytes[1], bytes[0], "the same frames either way");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "binary"})
    void shouldConflateForSubscriberThatDoesNotRead(final String format) {
        final ConflationBenchmark benchmark = new ConflationBenchmark();
        benchmark.symbols = 10;
        benchmark.format = format;
        benchmark.setUp();
        final long stalledBytes = benchmark.stalled().bytesSent();
        for (int i = 0; i < OPERATIONS; i++) {
            benchmark.conflate();
        }
        for (int i = 0; i < OPERATIONS; i++) {
            benchmark.baselineDeliver();
        }
        // The first update of each symbol takes a slot; every later one replaces a pending quote.
        assertEquals(OPERATIONS - 10, benchmark.stalled().quotesConflated());
        assertEquals(stalledBytes, benchmark.stalled().bytesSent(), "a stalled subscriber sends nothing more");
        assertEquals(OPERATIONS, benchmark.healthy().quotesDelivered());
        assertEquals(0, benchmark.healthy().quotesConflated());
    }
}
