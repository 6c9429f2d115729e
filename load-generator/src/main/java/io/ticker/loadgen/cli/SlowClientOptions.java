package io.ticker.loadgen.cli;

import io.ticker.loadgen.settings.SlowClients;
import io.ticker.protocol.DurationText;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The flags of {@link SlowClients}, a picocli mixin of {@code run}: which subscribers read slowly, and how. */
final class SlowClientOptions {
    /** No slow subscribers unless asked for. */
    static final double FRACTION_DEFAULT = 0;
    /** A slow subscriber reads as fast as data comes, between pauses, unless given a rate. */
    static final String READ_RATE_DEFAULT = "0";

    @Option(names = "--slow-fraction", paramLabel = "FRACTION",
        description = "Make this share of the subscribers slow readers (spread evenly over the connections, e.g. 0.1 "
            + "is every tenth), reading as --slow-read-rate and/or --pause-every say, with a small socket receive "
            + "buffer so the server feels it. Healthy and slow subscribers are reported apart: latency and the "
            + "progress line cover the healthy ones only.")
    private double fraction = FRACTION_DEFAULT;

    @Option(names = "--slow-read-rate", paramLabel = "BYTES_PER_SECOND",
        description = "How fast a slow subscriber reads from its socket, in bytes per second (k and m suffixes: "
            + "1024 and 1048576); 0 reads as fast as the data comes, between pauses.")
    private String readRate = READ_RATE_DEFAULT;

    @Option(names = "--pause-every", paramLabel = "DURATION",
        description = "A slow subscriber stops reading for --pause-for once in every DURATION, each at its own "
            + "offset drawn by --seed. Default: no pauses")
    private Duration pauseEvery;

    @Option(names = "--pause-for", paramLabel = "DURATION",
        description = "How long each pause of a slow subscriber lasts; shorter than --pause-every.")
    private Duration pauseFor;

    /** The slow subscribers asked for, {@link SlowClients#NONE} without {@code --slow-fraction}, checked. */
    SlowClients settings(final CommandLine cli) {
        final long readBytesPerSecond;
        try {
            readBytesPerSecond = SlowClients.parseBytesPerSecond(readRate);
        } catch (final IllegalArgumentException e) {
            throw usage(cli, "--slow-read-rate " + e.getMessage());
        }
        final boolean pauses = pauseEvery != null || pauseFor != null;
        if (!(fraction >= 0 && fraction <= 1)) {
            throw usage(cli, "--slow-fraction must be a fraction between 0 and 1, not " + fraction);
        }
        if (fraction == 0) {
            if (readBytesPerSecond > 0 || pauses) {
                throw usage(cli, (readBytesPerSecond > 0 ? "--slow-read-rate" : pauseEvery != null ? "--pause-every"
                    : "--pause-for") + " applies to slow subscribers: give --slow-fraction too, e.g. "
                    + "--slow-fraction 0.1");
            }
            return SlowClients.NONE;
        }
        if (readBytesPerSecond == 0 && !pauses) {
            throw usage(cli, "--slow-fraction needs --slow-read-rate or --pause-every/--pause-for to say how the "
                + "slow subscribers read");
        }
        if (pauses) {
            if (pauseEvery == null || pauseFor == null) {
                throw usage(cli, (pauseEvery == null ? "--pause-for" : "--pause-every") + " needs "
                    + (pauseEvery == null ? "--pause-every" : "--pause-for") + " too");
            }
            if (pauseEvery.toMillis() < 1) {
                throw usage(cli, "--pause-every must be at least 1ms, not " + DurationText.format(pauseEvery));
            }
            if (pauseFor.toMillis() < 1 || pauseFor.compareTo(pauseEvery) >= 0) {
                throw usage(cli, "--pause-for must be at least 1ms and shorter than --pause-every ("
                    + DurationText.format(pauseEvery) + "), not " + DurationText.format(pauseFor));
            }
        }
        return new SlowClients(fraction, readBytesPerSecond, pauses ? pauseEvery : null, pauses ? pauseFor : null);
    }

    static CommandLine.ParameterException usage(final CommandLine cli, final String message) {
        return new CommandLine.ParameterException(cli, message);
    }
}
