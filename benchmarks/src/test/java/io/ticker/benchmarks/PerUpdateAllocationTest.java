package io.ticker.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Quote;
import io.ticker.server.fanout.WireFormat;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-update paths the benchmarks measure allocate nothing once warm, checked on this thread's allocation
 * counter rather than trusted to a JMH run: a change that adds an allocation per update fails the build. The bound is
 * under one byte per operation, not zero: while the JIT is still at work the thread may be charged a few hundred bytes
 * now and then (deoptimisation, class resolution), never per update, whereas one object per update is 16 bytes or more.
 */
class PerUpdateAllocationTest {
    private static final int WARM_UP_OPERATIONS = 50_000;
    private static final int MEASURED_OPERATIONS = 20_000;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void shouldEncodeWithoutAllocating() {
        final QuoteEncodingBenchmark benchmark = new QuoteEncodingBenchmark();
        benchmark.setUp();
        assertNoAllocationPerOperation(benchmark::json, "encode");
        assertNoAllocationPerOperation(benchmark::binary, "binary encode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "binary"})
    void shouldFanOutWithoutAllocating(final String format) {
        final FanoutBenchmark benchmark = new FanoutBenchmark();
        benchmark.subscribers = 100;
        benchmark.format = format;
        benchmark.setUp();
        assertNoAllocationPerOperation(benchmark::update, "an update to 100 " + format + " subscribers");
        assertNoAllocationPerOperation(benchmark::baselineUnsubscribedUpdate, "an update nobody subscribes to");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "binary"})
    void shouldConflateWithoutAllocating(final String format) {
        final ConflationBenchmark benchmark = new ConflationBenchmark();
        benchmark.symbols = 100;
        benchmark.format = format;
        benchmark.setUp();
        assertNoAllocationPerOperation(benchmark::conflate, "conflating over 100 symbols, " + format);
        // and the same updates to a subscriber that keeps up: one frame each
        assertNoAllocationPerOperation(benchmark::baselineDeliver, "delivering to a " + format + " subscriber");
    }

    @Test
    void shouldKeepAFirehoseSubscribersLargeFrameBufferRatherThanRegrowItForEveryFrame() {
        // 400 updates per ring batch to a firehose subscriber of 2,000 symbols: frames of ~90 KB, above the size
        // every subscriber keeps, but within what one quote per symbol can fill.
        final SymbolUniverse universe = SymbolUniverse.generate(2_000, QuoteTape.SEED);
        final FanoutFixture fixture = new FanoutFixture(universe);
        fixture.addHealthySubscriber(List.of("*"));
        final Quote[] tape = QuoteTape.record(universe);
        final int updatesPerBatch = 400;
        final int[] next = {0};
        final LongSupplier batch = () -> {
            long seq = 0;
            for (int i = 0; i < updatesPerBatch; i++) {
                seq = fixture.publish(tape[next[0]++ % tape.length], i == updatesPerBatch - 1);
            }
            return seq;
        };
        final long allocated = allocatedBytes(batch, 500, 500);
        assertTrue(fixture.framesSent() > 1000, "one frame per batch");
        assertTrue(allocated < 500L * updatesPerBatch,
            "allocated " + allocated + " bytes in 500 batches of " + updatesPerBatch + " updates");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JSON", "BINARY"})
    void shouldSendASharedFirehoseFrameWithoutAllocating(final String format) {
        final SymbolUniverse universe = SymbolUniverse.generate(500, QuoteTape.SEED);
        final FanoutFixture fixture = new FanoutFixture(universe);
        final InMemoryFrameSink first = InMemoryFrameSink.healthySharing();
        final InMemoryFrameSink second = InMemoryFrameSink.healthySharing();
        fixture.addSubscriber(0, first, List.of("*"), WireFormat.valueOf(format));
        fixture.addSubscriber(0, second, List.of("*"), WireFormat.valueOf(format));
        final Quote[] tape = QuoteTape.record(universe);
        final int[] next = {0};
        // 20 updates per ring batch, as one 1 ms tick of scenario C
        final LongSupplier tick = () -> {
            long seq = 0;
            for (int i = 0; i < 20; i++) {
                seq = fixture.publish(tape[next[0]++ % tape.length], i == 19);
            }
            return seq;
        };
        assertNoAllocationPerOperation(tick, "a tick to two firehose subscribers sharing one " + format + " frame");
        assertEquals(WARM_UP_OPERATIONS + MEASURED_OPERATIONS, first.sharedFrames(), "the shared frame every tick");
        assertEquals(first.sharedFrames(), second.sharedFrames());
    }

    private static void assertNoAllocationPerOperation(final LongSupplier operation, final String what) {
        final long allocated = allocatedBytes(operation);
        assertTrue(allocated < MEASURED_OPERATIONS,
            what + " allocated " + allocated + " bytes in " + MEASURED_OPERATIONS + " operations");
    }

    /** Bytes this thread allocated over the measured operations, after the warm-up ones. */
    private static long allocatedBytes(final LongSupplier operation) {
        return allocatedBytes(operation, WARM_UP_OPERATIONS, MEASURED_OPERATIONS);
    }

    private static long allocatedBytes(final LongSupplier operation, final int warmUp, final int measured) {
        long checksum = 0;
        for (int i = 0; i < warmUp; i++) {
            checksum += operation.getAsLong();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < measured; i++) {
            checksum += operation.getAsLong();
        }
        final long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
        // Used, so the operations cannot be skipped.
        return checksum == Long.MIN_VALUE ? -1 : allocated;
    }
}
