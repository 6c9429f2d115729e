package io.ticker.feed;

import io.ticker.protocol.Quote;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochMicroClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The market: an agent that, each time {@link #doWork()} is called, makes the quotes that are due at the configured
 * total rate, spread over the universe with a Zipf skew, and hands each to the sink. Deterministic for a seed: the
 * n-th quote has the same symbol and prices on every run; only its timestamp is the wall clock.
 *
 * <p>Pacing counts quotes against the nano clock from the first {@code doWork()}: quote {@code n} is due
 * {@code n / rate} seconds after it, so the average rate is exact however the agent is idled. After a stall one call
 * makes at most {@link #BURST_QUOTES_MAX}; a backlog beyond {@link #BACKLOG_NS_MAX} worth of quotes is given up
 * (counted by {@link #missedQuotes()}) rather than sent in a flood. Single-threaded: one agent thread calls
 * {@code doWork()} and {@link #emit}; the counters may be read from any thread. Nothing is allocated per quote.
 *
 * <p>With {@link FeedBursts} the rate rises to a multiple of the base rate for part of every period; the schedule
 * is then the integral of that shape, equally exact.
 */
public final class FeedSimulator implements Agent {
    /** Updates per second across all symbols when none is asked for. */
    public static final double RATE_PER_SECOND_DEFAULT = 5_000;
    /** The highest rate {@code --rate} takes: far above what one server fans out, below a rounding-error pace. */
    public static final double RATE_PER_SECOND_MAX = 10_000_000;
    /** Zipf exponent of activity across symbols: 0 is uniform, around 1 is a real market. */
    public static final double ZIPF_EXPONENT_DEFAULT = 1.0;
    /** Seed when none is given. */
    public static final long SEED_DEFAULT = 42;
    /** The most quotes one {@link #doWork()} makes, however far behind the schedule is. */
    public static final int BURST_QUOTES_MAX = 4096;
    /** The most time the schedule may fall behind, in nanoseconds; older due quotes are given up. */
    public static final long BACKLOG_NS_MAX = 1_000_000_000L;

    private static final double NANOS_PER_SECOND = 1e9;

    private final SymbolUniverse universe;
    private final double ratePerSecond;
    private final FeedBursts bursts;
    private final QuoteSink sink;
    private final NanoClock nanoClock;
    private final EpochMicroClock epochMicroClock;
    private final ZipfSampler sampler;
    private final SplitMix64 symbolRandom;
    private final PriceProcess prices;
    private final long backlogQuotesMax;
    // One quote reused for every update: sinks copy what they keep.
    private final Quote quote = new Quote();

    private boolean started;
    private long startNs;
    /** Quotes the schedule has accounted for: made by doWork() or given up. */
    private long scheduledQuotes;
    private volatile long quotesMade;
    private volatile long missedQuotes;

    /** A feed over {@code universe} at {@code ratePerSecond} into {@code sink}, on the system clocks. */
    public FeedSimulator(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final QuoteSink sink) {
        this(universe, ratePerSecond, zipfExponent, seed, FeedBursts.NONE, sink);
    }

    /** A feed whose rate bursts by the shape of {@code bursts}, on the system clocks. */
    public FeedSimulator(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final FeedBursts bursts,
        final QuoteSink sink) {
        this(universe, ratePerSecond, zipfExponent, seed, bursts, sink, SystemNanoClock.INSTANCE,
            new SystemEpochMicroClock());
    }

    /** A steady feed on the given clocks, so that tests can drive time. */
    public FeedSimulator(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final QuoteSink sink,
        final NanoClock nanoClock,
        final EpochMicroClock epochMicroClock) {
        this(universe, ratePerSecond, zipfExponent, seed, FeedBursts.NONE, sink, nanoClock, epochMicroClock);
    }

    /**
     * A feed on the given clocks, so that tests can drive time.
     *
     * @param universe        the symbols to quote
     * @param ratePerSecond   updates per second across all symbols, above 0; the base rate when there are bursts
     * @param zipfExponent    skew of activity across symbols, 0 (uniform) or more; symbol 0 is the busiest
     * @param seed            fixes the sequence of symbols, prices and sizes
     * @param bursts          when and how much the rate rises, or {@link FeedBursts#NONE}
     * @param sink            takes each quote; must not keep the {@link Quote} object
     * @param nanoClock       paces {@link #doWork()}
     * @param epochMicroClock stamps quotes, microseconds since the Unix epoch
     * @throws IllegalArgumentException if the rate or the exponent is out of range
     */
    public FeedSimulator(
        final SymbolUniverse universe,
        final double ratePerSecond,
        final double zipfExponent,
        final long seed,
        final FeedBursts bursts,
        final QuoteSink sink,
        final NanoClock nanoClock,
        final EpochMicroClock epochMicroClock) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a finite number above 0, was " + ratePerSecond);
        }
        if (universe == null || bursts == null || sink == null || nanoClock == null || epochMicroClock == null) {
            throw new NullPointerException("universe, bursts, sink and clocks are required");
        }
        this.universe = universe;
        this.ratePerSecond = ratePerSecond;
        this.bursts = bursts;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.epochMicroClock = epochMicroClock;
        sampler = new ZipfSampler(universe.size(), zipfExponent);
        // Independent streams for symbol choice and price moves, both fixed by the one seed.
        final SplitMix64 seeds = new SplitMix64(seed);
        symbolRandom = new SplitMix64(seeds.nextLong());
        final double[] expectedRates = new double[universe.size()];
        for (int id = 0; id < expectedRates.length; id++) {
            expectedRates[id] = expectedRatePerSecond(id);
        }
        prices = new PriceProcess(universe, expectedRates, seeds.nextLong());
        // the backlog is measured at the peak rate, so that a stall inside a burst gives up no more time than outside
        final double peakRate = ratePerSecond * bursts.factor();
        backlogQuotesMax = Math.max(BURST_QUOTES_MAX, (long) (peakRate * BACKLOG_NS_MAX / NANOS_PER_SECOND));
    }

    /**
     * Makes the quotes due by now: none on the first call, which starts the schedule.
     *
     * @return how many quotes were made, at most {@link #BURST_QUOTES_MAX}
     */
    @Override
    public int doWork() {
        final long nowNs = nanoClock.nanoTime();
        if (!started) {
            started = true;
            startNs = nowNs;
            return 0;
        }
        long due = bursts.quotesDue(nowNs - startNs, ratePerSecond) - scheduledQuotes;
        if (due <= 0) {
            return 0;
        }
        if (due > backlogQuotesMax) {
            onBacklogExceeded(due - backlogQuotesMax);
            due = backlogQuotesMax;
        }
        final int count = (int) Math.min(due, BURST_QUOTES_MAX);
        scheduledQuotes += count;
        makeQuotes(count);
        return count;
    }

    /**
     * Makes exactly {@code count} quotes now, whatever the schedule says, and leaves the schedule as it was; for
     * tests and for runs that want quotes as fast as the sink takes them.
     *
     * @return {@code count}
     */
    public int emit(final int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        makeQuotes(count);
        return count;
    }

    @Override
    public String roleName() {
        return "feed-simulator";
    }

    /** The updates per second symbol {@code id} gets on average: its Zipf share of the total rate. */
    public double expectedRatePerSecond(final int symbolId) {
        return ratePerSecond * sampler.probability(symbolId);
    }

    /** Updates per second across all symbols: the base rate, outside bursts. */
    public double ratePerSecond() {
        return ratePerSecond;
    }

    /** The shape of the rate's bursts ({@link FeedBursts#NONE} for a steady feed). */
    public FeedBursts bursts() {
        return bursts;
    }

    /** The symbols this feed quotes. */
    public SymbolUniverse universe() {
        return universe;
    }

    /** Quotes made so far by {@link #doWork()} and {@link #emit} together; readable from any thread. */
    public long quotesMade() {
        return quotesMade;
    }

    /** Due quotes given up after stalls longer than {@link #BACKLOG_NS_MAX}; readable from any thread. */
    public long missedQuotes() {
        return missedQuotes;
    }

    private void makeQuotes(final int count) {
        // One wall-clock read per batch: a batch is made within microseconds, and the read is not free.
        final long timestampMicros = epochMicroClock.microTime();
        final Quote quote = this.quote;
        for (int i = 0; i < count; i++) {
            final int symbolId = sampler.sample(symbolRandom);
            prices.next(symbolId, quote);
            quote.timestampMicros = timestampMicros;
            sink.onQuote(quote);
        }
        if (count > 0) {
            sink.endOfBatch();
        }
        // Single writer: a plain read-modify-write, published once per batch rather than per quote.
        quotesMade = quotesMade + count;
    }

    private void onBacklogExceeded(final long quotesGivenUp) {
        scheduledQuotes += quotesGivenUp;
        missedQuotes = missedQuotes + quotesGivenUp;
    }
}
