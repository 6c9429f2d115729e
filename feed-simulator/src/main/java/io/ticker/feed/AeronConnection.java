package io.ticker.feed;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.File;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * An Aeron client for the feed stream, with its own embedded media driver (the default: nothing else to start) or
 * connected to an external driver's directory. The embedded driver runs all its agents on one thread
 * ({@link ThreadingMode#SHARED}) that backs off to parking for up to {@link #DRIVER_MAX_PARK_NS}, so it costs a
 * sliver of a core when the feed is quiet; its directory is unique to the process (under {@code java.io.tmpdir})
 * and deleted on start and close, so a feed and several servers on one machine never share or leak one.
 */
public final class AeronConnection implements AutoCloseable {
    /** The stream id of the quote feed on its channel. */
    public static final int STREAM_ID_DEFAULT = 1001;
    /** Longest park of the embedded driver's thread when idle: bounds the latency it adds to a quiet stream. */
    public static final long DRIVER_MAX_PARK_NS = 100_000;
    /**
     * Term buffer of a publication: a log is three terms. 4 MiB holds several seconds of the default feed (128
     * bytes a message on the wire at 5000 quotes/s), which is how far a receiver may fall behind before it loses
     * messages, detects the gap and heals from a snapshot.
     */
    public static final int TERM_LENGTH_BYTES_DEFAULT = 4 * 1024 * 1024;

    private final MediaDriver driver;
    private Aeron aeron;
    private final String directory;

    private AeronConnection(final MediaDriver driver, final Aeron aeron, final String directory) {
        this.driver = driver;
        this.aeron = aeron;
        this.directory = directory;
    }

    /**
     * Connects to the driver in {@code aeronDirectory}, or starts an embedded one when it is null or empty.
     *
     * @param role names the embedded driver's directory, e.g. {@code feed} or {@code server}
     */
    public static AeronConnection open(final String aeronDirectory, final String role) {
        if (aeronDirectory != null && !aeronDirectory.isEmpty()) {
            return new AeronConnection(null, connect(aeronDirectory), aeronDirectory);
        }
        final String directory = new File(System.getProperty("java.io.tmpdir"), String.format(Locale.ROOT,
            "aeron-ticker-%s-%d-%08x", role, ProcessHandle.current().pid(), ThreadLocalRandom.current().nextInt()))
            .getAbsolutePath();
        final MediaDriver.Context context = new MediaDriver.Context()
            .aeronDirectoryName(directory)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(10, 10, 1_000, DRIVER_MAX_PARK_NS))
            .publicationTermBufferLength(TERM_LENGTH_BYTES_DEFAULT)
            .ipcTermBufferLength(TERM_LENGTH_BYTES_DEFAULT)
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .warnIfDirectoryExists(false);
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        try {
            return new AeronConnection(driver, connect(driver.aeronDirectoryName()), driver.aeronDirectoryName());
        } catch (final RuntimeException e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    private static Aeron connect(final String directory) {
        return Aeron.connect(new Aeron.Context().aeronDirectoryName(directory));
    }

    /**
     * Checks that {@code channel} is an Aeron channel URI ({@code aeron:udp?...} or {@code aeron:ipc}).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validateChannel(final String channel) {
        if (channel == null || !channel.startsWith("aeron:")) {
            throw new IllegalArgumentException("not an Aeron channel: '" + channel
                + "'; expected e.g. aeron:udp?endpoint=localhost:40123");
        }
        try {
            ChannelUri.parse(channel);
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException("not a valid Aeron channel: '" + channel + "': " + e.getMessage(), e);
        }
    }

    /** The client. */
    public Aeron aeron() {
        return aeron;
    }

    /**
     * Replaces a client that has closed itself, as Aeron does after its conductor was not serviced for the driver's
     * liveness timeout (10 s: a process paused by a debugger, SIGSTOP or a pathological GC). The driver, embedded or
     * not, carries on; the new client needs its publications and subscriptions added again. Not thread-safe: the
     * thread that uses the client calls it.
     *
     * @return the new client
     */
    public Aeron reconnect() {
        CloseHelper.quietClose(aeron);
        aeron = connect(directory);
        return aeron;
    }

    /** The driver's directory. */
    public String directory() {
        return directory;
    }

    /** Whether the driver runs in this process. */
    public boolean embeddedDriver() {
        return driver != null;
    }

    /** Closes the client, then the embedded driver (which deletes its directory). */
    @Override
    public void close() {
        CloseHelper.closeAll(aeron, driver);
    }
}
