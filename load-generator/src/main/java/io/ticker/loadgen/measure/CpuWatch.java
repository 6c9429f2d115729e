package io.ticker.loadgen.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The generator watching itself. Once a second it reads its process CPU time and each I/O thread's CPU time; when an
 * event loop used more than {@link #SATURATED_FRACTION} of a core, or the process more than that share of the
 * machine, the generator (not the server) was the limit that second, and the figures say more about it than about the
 * server. It also reads the whole machine's load, since on one box the server and the generator share the cores.
 */
public final class CpuWatch {
    /** Above this share of a core per event loop (or of the machine for the process), the second is saturated. */
    public static final double SATURATED_FRACTION = 0.9;

    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final long[] loopThreadIds;
    private final long[] lastLoopCpuNanos;
    private long lastProcessCpuNanos;
    private long lastWallNanos;

    private double processShare;
    private double busiestLoopShare;
    private double machineShare;

    /** Watches the process and the given I/O threads. */
    public CpuWatch(final long[] loopThreadIds) {
        this.loopThreadIds = loopThreadIds.clone();
        this.lastLoopCpuNanos = new long[loopThreadIds.length];
        sample();
    }

    /** Takes a sample covering the time since the previous one. */
    public void sample() {
        final long wall = System.nanoTime();
        final long process = os.getProcessCpuTime();
        final long elapsed = wall - lastWallNanos;
        double busiest = 0;
        for (int i = 0; i < loopThreadIds.length; i++) {
            final long cpu = threads.getThreadCpuTime(loopThreadIds[i]);
            if (cpu >= 0 && lastWallNanos != 0 && elapsed > 0) {
                busiest = Math.max(busiest, (cpu - lastLoopCpuNanos[i]) / (double) elapsed);
            }
            lastLoopCpuNanos[i] = cpu;
        }
        if (lastWallNanos != 0 && elapsed > 0) {
            processShare = (process - lastProcessCpuNanos) / (double) elapsed / cores;
            busiestLoopShare = busiest;
        }
        machineShare = Math.max(0, os.getCpuLoad());
        lastProcessCpuNanos = process;
        lastWallNanos = wall;
    }

    /** The process's CPU over the last sample, as a share of all cores (0..1). */
    public double processShare() {
        return processShare;
    }

    /** The busiest event loop's CPU over the last sample, as a share of one core (0..1). */
    public double busiestLoopShare() {
        return busiestLoopShare;
    }

    /** The whole machine's CPU load (all processes), 0..1. */
    public double machineShare() {
        return machineShare;
    }

    /** Whether the last sample says the generator was the bottleneck. */
    public boolean saturated() {
        return busiestLoopShare > SATURATED_FRACTION || processShare > SATURATED_FRACTION;
    }

    /** Cores the JVM sees. */
    public int cores() {
        return cores;
    }

    /**
     * The soft limit on open files from {@code /proc/self/limits}, or -1 when unknown (not Linux). Each connection
     * needs one descriptor.
     */
    public static long openFilesLimit() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    final String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return "unlimited".equals(parts[0]) ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (final IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
