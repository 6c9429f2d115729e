package io.ticker.feed;

/**
 * A feed rate that rises for a while at a fixed period: every {@code periodNanos}, the last {@code lengthNanos} of the
 * period run at {@code factor} times the base rate. The first part of every period is the base rate, so a run starts
 * calm and the n-th burst begins at {@code n * period - length}, the same on every run.
 *
 * <p>The schedule is an exact integral: {@link #quotesDue} gives how many quotes are due after some time at a base
 * rate, so a paced loop that counts against it makes exactly that many, however it is idled.
 *
 * @param factor      rate multiplier inside a burst, 1 or more (1 is no burst)
 * @param periodNanos time from the start of one burst to the start of the next, above 0
 * @param lengthNanos how long each burst lasts, 0 or more and below {@code periodNanos}
 */
public record FeedBursts(double factor, long periodNanos, long lengthNanos) {
    /** A steady rate: no bursts. */
    public static final FeedBursts NONE = new FeedBursts(1, 1, 0);
    /** Burst factor when only a period is given. */
    public static final double FACTOR_DEFAULT = 3;

    /** Checks the ranges; the message names the bad field. */
    public FeedBursts {
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("burst factor must be a finite number of at least 1, was " + factor);
        }
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("burst period must be positive, was " + periodNanos + " ns");
        }
        if (lengthNanos < 0 || lengthNanos >= periodNanos) {
            throw new IllegalArgumentException("burst length must be at least 0 and shorter than the period ("
                + periodNanos + " ns), was " + lengthNanos + " ns");
        }
    }

    /** Whether the rate ever changes. */
    public boolean isSteady() {
        return factor == 1 || lengthNanos == 0;
    }

    /** The rate averaged over a whole period, as a multiple of the base rate. */
    public double meanFactor() {
        return 1 + (factor - 1) * lengthNanos / (double) periodNanos;
    }

    /** Whether the rate is raised at {@code elapsedNanos} after the start. */
    public boolean inBurst(final long elapsedNanos) {
        return !isSteady() && elapsedNanos % periodNanos >= periodNanos - lengthNanos;
    }

    /**
     * Quotes due {@code elapsedNanos} after the start at {@code ratePerSecond} base rate: the integral of the rate,
     * rounded down.
     */
    public long quotesDue(final long elapsedNanos, final double ratePerSecond) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        if (isSteady()) {
            return (long) (elapsedNanos * ratePerSecond / 1e9);
        }
        final long periods = elapsedNanos / periodNanos;
        final long into = elapsedNanos % periodNanos;
        final long calm = periodNanos - lengthNanos;
        final double perPeriod = calm + factor * lengthNanos;
        final double baseNanos = periods * perPeriod + Math.min(into, calm) + factor * Math.max(0, into - calm);
        return (long) (baseNanos * ratePerSecond / 1e9);
    }
}
