package io.ticker.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
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

    private static void assertNoAllocationPerOperation(final LongSupplier operation, final String what) {
        final long allocated = allocatedBytes(operation);
        assertTrue(allocated < MEASURED_OPERATIONS,
            what + " allocated " + allocated + " bytes in " + MEASURED_OPERATIONS + " operations");
    }

    /** Bytes this thread allocated over the measured operations, after the warm-up ones. */
    private static long allocatedBytes(final LongSupplier operation) {
        long checksum = 0;
        for (int i = 0; i < WARM_UP_OPERATIONS; i++) {
            checksum += operation.getAsLong();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = THREADS.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < MEASURED_OPERATIONS; i++) {
            checksum += operation.getAsLong();
        }
        final long allocated = THREADS.getThreadAllocatedBytes(threadId) - before;
        // Used, so the operations cannot be skipped.
        return checksum == Long.MIN_VALUE ? -1 : allocated;
    }
}
