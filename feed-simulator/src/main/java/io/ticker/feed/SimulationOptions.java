package io.ticker.feed;

import static io.ticker.feed.OneLineErrors.require;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the simulator makes: {@code --symbols}, {@code --rate}, {@code --zipf}, {@code --seed} and the burst flags,
 * a picocli mixin shared by the feed simulator and the server's embedded feed, so that both programs read, default
 * and check them the same way. Its fields start at the simulator's defaults; the setters are for programs that build
 * a simulation without a command line (the server's tests).
 */
public final class SimulationOptions {
    @Option(names = "--symbols", paramLabel = "N",
        description = "Symbols in the universe, 1-" + SymbolUniverse.SYMBOLS_MAX + "; id 0 is the busiest. "
            + "Default: ${DEFAULT-VALUE}")
    private int symbols = SymbolUniverse.SYMBOLS_DEFAULT;

    @Option(names = "--rate", paramLabel = "PER_SECOND",
        description = "Updates per second across all symbols, above 0. Default: ${DEFAULT-VALUE}")
    private double ratePerSecond = FeedSimulator.RATE_PER_SECOND_DEFAULT;

    @Option(names = "--zipf", paramLabel = "EXPONENT",
        description = "Skew of activity across symbols: 0 is uniform, about 1 is a real market. "
            + "Default: ${DEFAULT-VALUE}")
    private double zipfExponent = FeedSimulator.ZIPF_EXPONENT_DEFAULT;

    @Option(names = "--seed", paramLabel = "SEED",
        description = "Seed of the universe and of every quote: same seed, same symbols and prices. "
            + "Default: ${DEFAULT-VALUE}")
    private long seed = FeedSimulator.SEED_DEFAULT;

    @Mixin
    private FeedBurstOptions burstOptions = new FeedBurstOptions();

    /** Set by {@link #validate} from the burst flags, or directly. */
    private FeedBursts bursts = FeedBursts.NONE;

    /**
     * Checks the values, naming the first bad flag, and reads the bursts.
     *
     * @throws CommandLine.ParameterException naming the flag when a value is out of range
     */
    public void validate(final CommandLine cli) {
        require(cli, symbols >= 1 && symbols <= SymbolUniverse.SYMBOLS_MAX, "--symbols",
            "must be 1-" + SymbolUniverse.SYMBOLS_MAX + ", was " + symbols);
        require(cli, ratePerSecond > 0 && ratePerSecond <= FeedSimulator.RATE_PER_SECOND_MAX, "--rate",
            "must be above 0 and at most " + (long) FeedSimulator.RATE_PER_SECOND_MAX + ", was " + ratePerSecond);
        require(cli, zipfExponent >= 0 && !Double.isInfinite(zipfExponent), "--zipf",
            "must be a number of 0 or more, was " + zipfExponent);
        bursts = burstOptions.toBursts(cli);
    }

    public int symbols() {
        return symbols;
    }

    public SimulationOptions symbols(final int symbols) {
        this.symbols = symbols;
        return this;
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public SimulationOptions ratePerSecond(final double ratePerSecond) {
        this.ratePerSecond = ratePerSecond;
        return this;
    }

    public double zipfExponent() {
        return zipfExponent;
    }

    public SimulationOptions zipfExponent(final double zipfExponent) {
        this.zipfExponent = zipfExponent;
        return this;
    }

    public long seed() {
        return seed;
    }

    public SimulationOptions seed(final long seed) {
        this.seed = seed;
        return this;
    }

    /** The bursts asked for; {@link FeedBursts#NONE} unless {@code --burst-every} was given. */
    public FeedBursts bursts() {
        return bursts;
    }

    public SimulationOptions bursts(final FeedBursts bursts) {
        this.bursts = bursts;
        return this;
    }
}
