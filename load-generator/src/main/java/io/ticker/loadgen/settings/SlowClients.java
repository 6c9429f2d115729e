package io.ticker.loadgen.settings;

import io.ticker.protocol.DurationText;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which subscribers read slowly, and how: {@code fraction} of them, spread evenly over the connection indexes, read
 * at most {@code readBytesPerSecond} and/or stop reading for {@code pauseFor} once in every {@code pauseEvery}.
 *
 * @param fraction           share of subscribers that are slow, 0 to 1
 * @param readBytesPerSecond how fast a slow subscriber reads its socket; 0 is as fast as data comes
 * @param pauseEvery         period of a slow subscriber's pauses, or null for none
 * @param pauseFor           length of each pause, or null for none
 */
public record SlowClients(double fraction, long readBytesPerSecond, Duration pauseEvery, Duration pauseFor) {
    /** No slow subscribers. */
    public static final SlowClients NONE = new SlowClients(0, 0, null, null);
    /**
     * Socket receive buffer of a slow subscriber, in bytes (the kernel doubles it): small, so that what it leaves
     * unread backs up into the server within a pause rather than into the generator's kernel.
     */
    public static final int RECEIVE_BUFFER_BYTES = 8 * 1024;
    /** Target reads per second of a rate-limited subscriber: each read takes at most rate / this many bytes. */
    public static final int READS_PER_SECOND = 50;
    /** The smallest and largest read of a rate-limited subscriber, in bytes. */
    public static final int READ_BYTES_MIN = 256;
    /** See {@link #READ_BYTES_MIN}. */
    public static final int READ_BYTES_MAX = 64 * 1024;

    /** Whether any subscriber is slow. */
    public boolean any() {
        return fraction > 0;
    }

    /**
     * Whether subscriber {@code index} is slow: the k-th slow one is where {@code floor((index + 1) * fraction)}
     * steps up, so exactly {@code floor(n * fraction)} of the first n are slow, evenly spread (0.1: 9, 19, 29...).
     */
    public boolean isSlow(final int index) {
        return index >= 0 && fraction > 0 && Math.floor((index + 1) * fraction) > Math.floor(index * fraction);
    }

    /** Whether slow subscribers pause. */
    public boolean pauses() {
        return pauseEvery != null;
    }

    /** Bytes a rate-limited subscriber asks for per read. */
    public int readChunkBytes() {
        return (int) Math.max(READ_BYTES_MIN, Math.min(READ_BYTES_MAX, readBytesPerSecond / READS_PER_SECOND));
    }

    /** Time between reads of a rate-limited subscriber, so that chunks add up to the rate. */
    public long readPeriodNanos() {
        return Math.max(1, (long) (readChunkBytes() * 1e9 / readBytesPerSecond));
    }

    /** The settings for summary.json. */
    public Map<String, Object> describe() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("fraction", fraction);
        out.put("readBytesPerSecond", readBytesPerSecond == 0 ? null : readBytesPerSecond);
        out.put("pauseEvery", pauseEvery == null ? null : DurationText.format(pauseEvery));
        out.put("pauseFor", pauseFor == null ? null : DurationText.format(pauseFor));
        out.put("receiveBufferBytes", RECEIVE_BUFFER_BYTES);
        return out;
    }

    /**
     * Parses a byte rate: digits with an optional {@code k} (1024) or {@code m} (1048576) suffix, an optional
     * {@code /s}.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static long parseBytesPerSecond(final String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        }
        long unit = 1;
        if (t.endsWith("k")) {
            unit = 1024;
        } else if (t.endsWith("m")) {
            unit = 1024 * 1024;
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        final long value;
        try {
            value = Long.parseLong(t.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("must be bytes per second like 65536, 64k or 1m, not '" + text + "'");
        }
        if (value < 0 || value > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("must be 0 or more bytes per second, not '" + text + "'");
        }
        return value * unit;
    }
}
