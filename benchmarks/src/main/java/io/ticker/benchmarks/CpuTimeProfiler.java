package io.ticker.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * The fork's CPU time per operation, beside JMH's wall-clock score: {@code -prof io.ticker.benchmarks.CpuTimeProfiler}.
 * On a shared machine the wall-clock score counts the time the benchmark thread waited for a core; CPU time counts
 * only the time it ran, so it stays close to the cost on a quiet machine (it still includes cache damage from the
 * neighbours, and every thread of the fork: JMH's own, the JIT while it still compiles, the ring's consumer).
 * {@code cpu.share} is the cores the fork got on average, 1.0 for a single-threaded benchmark on an idle machine.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private static final double NANOS_PER_SECOND = 1e9;

    private final OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuNanosBefore;
    private long wallNanosBefore;

    @Override
    public String getDescription() {
        return "fork CPU time per operation, and the cores the fork got";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams) {
        wallNanosBefore = System.nanoTime();
        cpuNanosBefore = os.getProcessCpuTime();
    }

    @Override
    public List<? extends Result> afterIteration(
        final BenchmarkParams benchmarkParams, final IterationParams iterationParams, final IterationResult result) {
        final long cpuNanos = os.getProcessCpuTime() - cpuNanosBefore;
        final long wallNanos = System.nanoTime() - wallNanosBefore;
        final long ops = result.getMetadata().getAllOps();
        final double cpuNanosPerOp = ops == 0 ? Double.NaN : cpuNanos / (double) ops;
        return List.of(
            new ScalarResult("cpu.time.norm", cpuNanosPerOp, "ns/op", AggregationPolicy.AVG),
            new ScalarResult("cpu.share", cpuNanos / (double) wallNanos, "cores", AggregationPolicy.AVG),
            new ScalarResult("cpu.time", cpuNanos / NANOS_PER_SECOND, "s", AggregationPolicy.SUM));
    }
}
