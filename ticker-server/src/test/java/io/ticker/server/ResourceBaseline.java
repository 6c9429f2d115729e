package io.ticker.server;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What a test that tries to break a limit checks afterwards: the server's connections, this JVM's open file
 * descriptors and its heap after GC are back where they were, so the abuse left nothing behind.
 */
final class ResourceBaseline {
    private static final long HEAP_SLACK_BYTES = 16L * 1024 * 1024;
    private static final int FD_SLACK = 8;

    private final TickerServer server;
    private final long connections;
    private final int fileDescriptors;
    private final long heapBytes;

    private ResourceBaseline(final TickerServer server) {
        this.server = server;
        this.connections = server.connections();
        this.fileDescriptors = openFileDescriptors();
        this.heapBytes = heapAfterGc();
    }

    static ResourceBaseline of(final TickerServer server) {
        return new ResourceBaseline(server);
    }

    /** Waits up to {@code timeout} for every measure to come back; fails naming the one that did not. */
    void assertRestored(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String problem;
        do {
            problem = problem();
            if (problem == null) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail(problem);
    }

    private String problem() {
        if (server.connections() > connections) {
            return "connections " + server.connections() + " > baseline " + connections;
        }
        final int fds = openFileDescriptors();
        if (fileDescriptors >= 0 && fds > fileDescriptors + FD_SLACK) {
            return "file descriptors " + fds + " > baseline " + fileDescriptors;
        }
        final long heap = heapAfterGc();
        if (heap > heapBytes + HEAP_SLACK_BYTES) {
            return "heap after GC " + heap + " > baseline " + heapBytes + " + slack";
        }
        return null;
    }

    private static int openFileDescriptors() {
        final String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * The least of a few readings, each right after a full GC: the feed and the clients keep allocating while it is
     * read, and what they allocate between the GC and the reading is garbage, not what the server holds.
     */
    static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
