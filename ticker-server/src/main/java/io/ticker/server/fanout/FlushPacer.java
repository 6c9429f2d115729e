package io.ticker.server.fanout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * When a shard's next flush pass (every touched subscriber's frame to its socket) may run: the Disruptor's smart
 * batching applied per socket. While a pass costs its IO thread little, the next one runs as soon as a drain has
 * output, so a shard that keeps up writes every quote at once. A pass that took more than {@link #FREE_PASS_NANOS}
 * of the thread's CPU, with subscribers that each had several quotes in it, holds the next one back for
 * {@link #IDLE_PER_BUSY} times the excess: the shard then writes less often, each frame carries the quotes of several
 * drains, and the system calls, most of a frame's cost, fall with the number of frames. A saturated shard that wrote
 * every subscriber in every drain would take all the CPU it could get with small frames, and the machine's other
 * work (on loopback, the clients) would queue behind it.
 *
 * <p>Holding back pays only where it coalesces. With sparse traffic (each subscriber one quote a pass) a
 * later pass would mostly write to more subscribers, not fewer times to each: no hold there, and since a held pass
 * covers more subscribers and costs more, a hold there could feed itself. The hold therefore grows from nothing at
 * 1.5 quotes per flushed subscriber to full weight at 3.
 *
 * <p>CPU time rather than wall time, so that a pass that was merely preempted (a busy machine, not an expensive pass)
 * holds nothing back. Owning IO thread only; allocation-free.
 */
final class FlushPacer {
    /**
     * CPU a pass may take and hold nothing back: a few times what a light pass takes on a 2-core machine (about 50
     * subscribers with one quote each written per 1 ms tick, 0.5 ms), so that only a shard writing far more than that
     * is paced.
     */
    static final long FREE_PASS_NANOS = 2_000_000L;
    /** Idle time owed per nanosecond of CPU a pass took beyond {@link #FREE_PASS_NANOS}, at full weight. */
    static final long IDLE_PER_BUSY = 4;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The calling thread's CPU time in nanoseconds, or null to let every pass run at once. */
    private final LongSupplier cpuClock;
    private long passStartedCpu;
    private long nextPassNanos;

    private FlushPacer(final LongSupplier cpuClock) {
        this.cpuClock = cpuClock;
    }

    /** A pacer on the IO thread's CPU time; one that never holds back where the JVM cannot measure it. */
    static FlushPacer onThreadCpu() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? new FlushPacer(THREADS::getCurrentThreadCpuTime) : never();
    }

    /** A pacer that lets every pass run at once: for shards whose drains tests run on the calling thread. */
    static FlushPacer never() {
        return new FlushPacer(null);
    }

    /** A pacer on {@code cpuClock}, for tests. */
    static FlushPacer on(final LongSupplier cpuClock) {
        return new FlushPacer(cpuClock);
    }

    /** How long from {@code nowNanos} until the next pass may run; 0 or less when it may run now. */
    long waitNanos(final long nowNanos) {
        return nextPassNanos - nowNanos;
    }

    /** A pass starts. */
    void passStarting() {
        if (cpuClock != null) {
            passStartedCpu = cpuClock.getAsLong();
        }
    }

    /**
     * The pass that started last has ended at {@code nowNanos} ({@link System#nanoTime()}), having flushed
     * {@code subscribers} that had {@code quotes} between them: sets when the next may run.
     */
    void passEnded(final long nowNanos, final long quotes, final int subscribers) {
        if (cpuClock == null || subscribers == 0) {
            return;
        }
        final long excess = cpuClock.getAsLong() - passStartedCpu - FREE_PASS_NANOS;
        // weight (quotes / subscribers - 1.5) / 1.5, clamped to [0, 1], in integers
        final long weight = Math.min(3L * subscribers, Math.max(0, 2 * quotes - 3L * subscribers));
        nextPassNanos = excess <= 0 ? nowNanos : nowNanos + excess * IDLE_PER_BUSY * weight / (3L * subscribers);
    }
}
