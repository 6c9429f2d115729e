package io.ticker.feed;

import static io.ticker.feed.OneLineErrors.invalid;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The burst flags, a picocli mixin shared by the feed simulator and the server's embedded feed, so that both read
 * {@code --burst-factor 3 --burst-every 5s --burst-for 1s} the same way. {@link #toBursts} validates them and names
 * the bad flag.
 */
public final class FeedBurstOptions {
    /** How long each burst lasts when {@code --burst-for} is not given. */
    public static final String LENGTH_DEFAULT = "1s";

    @Option(names = "--burst-factor", paramLabel = "N", defaultValue = "" + FeedBursts.FACTOR_DEFAULT,
        description = "During a burst the feed runs at N times --rate (1 or more); only used with --burst-every. "
            + "Default: ${DEFAULT-VALUE}")
    private double factor;

    @Option(names = "--burst-every", paramLabel = "DURATION",
        description = "Raise the rate to --burst-factor times --rate for --burst-for at the end of every DURATION "
            + "(e.g. 5s), the same times on every run; the mean rate becomes --rate x (1 + (factor - 1) x for / "
            + "every). Default: no bursts")
    private Duration every;

    @Option(names = "--burst-for", paramLabel = "DURATION", defaultValue = LENGTH_DEFAULT,
        description = "How long each burst lasts; shorter than --burst-every. Default: ${DEFAULT-VALUE}")
    private Duration length;

    /**
     * The bursts asked for, {@link FeedBursts#NONE} without {@code --burst-every}.
     *
     * @throws ParameterException naming the flag when a value is out of range
     */
    public FeedBursts toBursts(final CommandLine commandLine) {
        final boolean factorGiven = commandLine.getParseResult().hasMatchedOption("--burst-factor");
        final boolean lengthGiven = commandLine.getParseResult().hasMatchedOption("--burst-for");
        if (every == null) {
            if (factorGiven || lengthGiven) {
                throw invalid(commandLine, factorGiven ? "--burst-factor" : "--burst-for",
                    "needs --burst-every, which says how often a burst comes");
            }
            return FeedBursts.NONE;
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw invalid(commandLine, "--burst-factor", "must be a number of at least 1, was " + factor);
        }
        if (every.isNegative() || every.isZero()) {
            throw invalid(commandLine, "--burst-every", "must be positive");
        }
        if (length.isNegative() || length.isZero() || length.compareTo(every) >= 0) {
            throw invalid(commandLine, "--burst-for", "must be positive and shorter than --burst-every");
        }
        return new FeedBursts(factor, every.toNanos(), length.toNanos());
    }
}
