package io.ticker.feed;

/**
 * Draws symbol ids with Zipf-skewed probability: id {@code i} has weight {@code 1 / (i + 1)^exponent}, so id 0 is the
 * busiest and an exponent of 0 is uniform. Walker's alias method (Vose's construction): building is O(n) once,
 * each draw is O(1) from one random long, with two array reads and no allocation.
 */
public final class ZipfSampler {
    private final double[] probabilities;
    private final double[] acceptThresholds;
    private final int[] aliases;

    /**
     * A sampler over ids {@code 0 .. count - 1}.
     *
     * @param count    how many ids, at least 1
     * @param exponent Zipf exponent, 0 or more: 0 is uniform, around 1 is a real market
     */
    public ZipfSampler(final int count, final double exponent) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be a finite number >= 0, was " + exponent);
        }
        probabilities = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            // StrictMath: the table, hence every draw, must be identical on every platform for a seed.
            probabilities[i] = 1.0 / StrictMath.pow(i + 1, exponent);
            total += probabilities[i];
        }
        for (int i = 0; i < count; i++) {
            probabilities[i] /= total;
        }
        acceptThresholds = new double[count];
        aliases = new int[count];
        buildAliasTable();
    }

    /** How many ids. */
    public int size() {
        return probabilities.length;
    }

    /** The probability that a draw gives {@code id}. */
    public double probability(final int id) {
        return probabilities[id];
    }

    /**
     * Draws one id. The high 32 bits of one random long pick a column, the low 32 bits decide between the column
     * and its alias: one generator call per draw.
     */
    public int sample(final SplitMix64 random) {
        final long bits = random.nextLong();
        final int column = (int) (((bits >>> 32) * acceptThresholds.length) >>> 32);
        final double uniform = (bits & 0xFFFF_FFFFL) * 0x1.0p-32;
        return uniform < acceptThresholds[column] ? column : aliases[column];
    }

    private void buildAliasTable() {
        final int n = probabilities.length;
        final double[] scaled = new double[n];
        final int[] small = new int[n];
        final int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = probabilities[i] * n;
            if (scaled[i] < 1.0) {
                small[smallCount++] = i;
            } else {
                large[largeCount++] = i;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            final int less = small[--smallCount];
            final int more = large[--largeCount];
            acceptThresholds[less] = scaled[less];
            aliases[less] = more;
            scaled[more] = (scaled[more] + scaled[less]) - 1.0;
            if (scaled[more] < 1.0) {
                small[smallCount++] = more;
            } else {
                large[largeCount++] = more;
            }
        }
        // What is left is 1.0 up to rounding: such columns always accept themselves.
        while (largeCount > 0) {
            final int column = large[--largeCount];
            acceptThresholds[column] = 1.0;
            aliases[column] = column;
        }
        while (smallCount > 0) {
            final int column = small[--smallCount];
            acceptThresholds[column] = 1.0;
            aliases[column] = column;
        }
    }
}
