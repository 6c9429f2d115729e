package io.ticker.feed;

import io.ticker.protocol.FixedPoint;
import io.ticker.protocol.Quote;

/**
 * The market of every symbol in a universe, one update at a time: a fair value that follows geometric Brownian
 * motion with rare jumps and a weak pull back to the base price, a spread in ticks that wanders around a per-symbol
 * norm, displayed sizes in round lots, and trades at the bid, the ask or inside.
 *
 * <p>Time is market time, not wall time: an update of a symbol stands for {@code 1 / expectedRate} seconds of it, so
 * a symbol moves as much per second whatever its share of the feed, and the n-th update is the same on every run.
 * The fair value is a double, but what leaves is not: bid, ask and last are computed once per update from it as
 * whole ticks in fixed-point longs (a cent at or above $1, $0.0001 below), so no floating-point residue reaches the
 * wire. State is kept in arrays indexed by symbol id; an update allocates nothing.
 */
final class PriceProcess {
    /** The tick at or above $1, fixed-point: one cent. */
    static final long TICK_ABOVE_DOLLAR = FixedPoint.ONE / 100;
    /** The tick below $1, fixed-point: the smallest price the wire carries. */
    static final long TICK_BELOW_DOLLAR = 1;
    /** Shares in a round lot. */
    static final long ROUND_LOT_SHARES = 100;

    /** 252 trading days of 6.5 hours: converts annual volatility to per-second. */
    private static final double TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;
    /** However rarely a symbol updates, one update never moves its fair value by more than this (one sigma). */
    private static final double SIGMA_PER_UPDATE_MAX = 0.02;
    /** Average market time between jumps of one symbol (news, a block trade). */
    private static final double JUMP_INTERVAL_SECONDS = 1800;
    private static final double JUMP_PROBABILITY_MAX = 0.01;
    /** One sigma of a jump, relative to the price. */
    private static final double JUMP_SIGMA = 0.01;
    /** Half-life of the pull back to the base price: keeps a long run's prices plausible without pinning them. */
    private static final double REVERSION_HALF_LIFE_SECONDS = 3600;
    private static final double REVERSION_PER_UPDATE_MAX = 0.5;
    /** The fair value never goes below a cent, so bids stay positive. */
    private static final double FAIR_VALUE_MIN = FixedPoint.ONE / 100.0;
    /** Chance in percent that an update carries a trade when the last one is still inside the quote. */
    private static final int TRADE_PERCENT = 50;
    /** Chance in percent that a trade is an odd lot (under 100 shares). */
    private static final int ODD_LOT_PERCENT = 30;
    /** Displayed size at the touch: about this many dollars' worth of lots at most, within the bounds below. */
    private static final double DISPLAYED_DOLLARS_MAX = 300_000;
    private static final int LOTS_MIN = 4;
    private static final int LOTS_MAX = 300;

    private final SplitMix64 random;
    private final long[] basePrices;
    private final double[] fairValues;
    private final double[] sigmasPerUpdate;
    private final double[] jumpProbabilities;
    private final double[] reversionsPerUpdate;
    private final int[] normalSpreadTicks;
    private final int[] spreadTicks;
    private final int[] lotsMax;
    private final long[] lastPrices;
    private final long[] lastSizes;
    private final long[] volumes;

    /**
     * @param universe               the symbols and their base prices
     * @param expectedRatesPerSecond updates per second each symbol is expected to get: sets its market time step
     * @param seed                   fixes per-symbol volatility and every move
     */
    PriceProcess(final SymbolUniverse universe, final double[] expectedRatesPerSecond, final long seed) {
        final int count = universe.size();
        random = new SplitMix64(seed);
        basePrices = new long[count];
        fairValues = new double[count];
        sigmasPerUpdate = new double[count];
        jumpProbabilities = new double[count];
        reversionsPerUpdate = new double[count];
        normalSpreadTicks = new int[count];
        spreadTicks = new int[count];
        lotsMax = new int[count];
        lastPrices = new long[count];
        lastSizes = new long[count];
        volumes = new long[count];
        for (int id = 0; id < count; id++) {
            final long basePrice = universe.basePrice(id);
            final double dollars = FixedPoint.toDouble(basePrice);
            final double secondsPerUpdate = 1.0 / expectedRatesPerSecond[id];
            // Cheap stocks swing more; the rest spread between calm large caps and lively growth names.
            final double annualVolatility = (0.18 + 0.5 * random.nextDouble()) * (dollars < 10 ? 1.6 : 1.0);
            basePrices[id] = basePrice;
            fairValues[id] = basePrice;
            sigmasPerUpdate[id] = Math.min(SIGMA_PER_UPDATE_MAX,
                annualVolatility * Math.sqrt(secondsPerUpdate / TRADING_SECONDS_PER_YEAR));
            jumpProbabilities[id] = Math.min(JUMP_PROBABILITY_MAX, secondsPerUpdate / JUMP_INTERVAL_SECONDS);
            reversionsPerUpdate[id] = Math.min(REVERSION_PER_UPDATE_MAX,
                StrictMath.log(2) / REVERSION_HALF_LIFE_SECONDS * secondsPerUpdate);
            // Busy names quote a penny wide; quiet ones (higher ids) and dear ones wider, as market makers take
            // more risk there: 1 tick for ids 0-8, 2 for 9-98, 3 for 99-998, 4 beyond, plus 1 at $300 and over.
            normalSpreadTicks[id] = 1 + (int) StrictMath.log10(1 + id) + (dollars >= 300 ? 1 : 0);
            spreadTicks[id] = normalSpreadTicks[id];
            lotsMax[id] = (int) Math.max(LOTS_MIN, Math.min(LOTS_MAX, DISPLAYED_DOLLARS_MAX / 100 / dollars));
        }
    }

    /** Moves symbol {@code id} one update on and writes its quote into {@code quote} (all but the timestamp). */
    void next(final int id, final Quote quote) {
        final double fairValue = stepFairValue(id);
        final int spread = stepSpread(id);

        final long bidTick = fairValue >= FixedPoint.ONE ? TICK_ABOVE_DOLLAR : TICK_BELOW_DOLLAR;
        // A multiple of the tick of its own level: below $1 when the fair value is, else of a cent.
        final long bid = Math.max(TICK_BELOW_DOLLAR,
            (long) Math.floor((fairValue - spread * bidTick * 0.5) / bidTick) * bidTick);
        final long ask = onTick(bid + spread * tickOf(bid));

        long last = lastPrices[id];
        // A quote that moved through the last trade means trades happened: report one.
        if (last < bid || last > ask || random.nextInt(100) < TRADE_PERCENT) {
            last = tradePrice(bid, ask, spread);
            final long size = random.nextInt(100) < ODD_LOT_PERCENT
                ? 1 + random.nextInt((int) ROUND_LOT_SHARES - 1)
                : lots(lotsMax[id] / 2 + 1) * ROUND_LOT_SHARES;
            lastPrices[id] = last;
            lastSizes[id] = size;
            volumes[id] += size;
        }

        quote.symbolId = id;
        quote.bid = bid;
        quote.ask = ask;
        quote.bidSize = lots(lotsMax[id]) * ROUND_LOT_SHARES;
        quote.askSize = lots(lotsMax[id]) * ROUND_LOT_SHARES;
        quote.last = last;
        quote.lastSize = lastSizes[id];
        quote.volume = volumes[id];
    }

    /** The tick a price must be a multiple of. */
    static long tickOf(final long price) {
        return price >= FixedPoint.ONE ? TICK_ABOVE_DOLLAR : TICK_BELOW_DOLLAR;
    }

    private double stepFairValue(final int id) {
        double fairValue = fairValues[id];
        fairValue += fairValue * sigmasPerUpdate[id] * random.nextGaussian()
            + reversionsPerUpdate[id] * (basePrices[id] - fairValue);
        if (random.nextDouble() < jumpProbabilities[id]) {
            fairValue *= Math.max(0.5, 1.0 + JUMP_SIGMA * random.nextGaussian());
        }
        fairValue = Math.max(FAIR_VALUE_MIN, fairValue);
        fairValues[id] = fairValue;
        return fairValue;
    }

    /** A random walk in ticks that drifts back to the symbol's normal width and never closes the market. */
    private int stepSpread(final int id) {
        final int normal = normalSpreadTicks[id];
        int spread = spreadTicks[id];
        final int roll = random.nextInt(100);
        if (spread > normal) {
            if (roll < 30) {
                spread--;
            } else if (roll < 35 && spread < 4 * normal + 4) {
                spread++;
            }
        } else if (roll < 10) {
            spread++;
        } else if (roll < 15 && spread > 1) {
            spread--;
        }
        spreadTicks[id] = spread;
        return spread;
    }

    /** Mostly at the bid or the ask; sometimes inside a wide spread. */
    private long tradePrice(final long bid, final long ask, final int spread) {
        final int roll = random.nextInt(100);
        if (roll < 45) {
            return bid;
        }
        if (roll < 90 || spread < 2) {
            return ask;
        }
        final long inside = onTick(bid + (1 + random.nextInt(spread - 1)) * tickOf(bid));
        return Math.min(inside, ask);
    }

    /** At least one lot, skewed to small: the product of two uniforms. */
    private long lots(final int max) {
        return 1 + (long) (random.nextDouble() * random.nextDouble() * max);
    }

    /** Rounds a price up to its tick: only matters for a price built from sub-dollar ticks that reached $1. */
    private static long onTick(final long price) {
        if (price >= FixedPoint.ONE && price % TICK_ABOVE_DOLLAR != 0) {
            return price + TICK_ABOVE_DOLLAR - price % TICK_ABOVE_DOLLAR;
        }
        return price;
    }
}
