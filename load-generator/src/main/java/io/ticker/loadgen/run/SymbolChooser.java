package io.ticker.loadgen.run;

import io.ticker.loadgen.settings.SymbolSkew;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws each subscriber's symbols from the server's list (busiest first) with a seeded generator, so that the same
 * seed and list give the same subscriptions on every run. With {@code zipf:S} rank r is drawn with weight
 * 1/(r+1)^S; a subscriber never gets the same symbol twice.
 */
public final class SymbolChooser {
    private final int universe;
    private final double[] cumulative;
    private final SplittableRandom random;

    /** A chooser over {@code universe} ranked symbols. */
    public SymbolChooser(final int universe, final SymbolSkew skew, final long seed) {
        this.universe = universe;
        this.random = new SplittableRandom(seed);
        if (skew.zipfExponent() == 0) {
            cumulative = null;
        } else {
            cumulative = new double[universe];
            double sum = 0;
            for (int rank = 0; rank < universe; rank++) {
                sum += 1 / Math.pow(rank + 1, skew.zipfExponent());
                cumulative[rank] = sum;
            }
            for (int rank = 0; rank < universe; rank++) {
                cumulative[rank] /= sum;
            }
        }
    }

    /** {@code count} distinct ranks (all of them when {@code count >= universe}), sorted. */
    public int[] choose(final int count) {
        if (count >= universe) {
            final int[] all = new int[universe];
            Arrays.setAll(all, i -> i);
            return all;
        }
        final boolean[] taken = new boolean[universe];
        final int[] out = new int[count];
        int filled = 0;
        // rejection keeps the draw exact; past a bound (a subscriber wanting most of a skewed list) it falls back
        // to the lowest untaken ranks, the ones a skewed draw would favour anyway
        int attempts = 0;
        final int maxAttempts = count * 50;
        while (filled < count && attempts++ < maxAttempts) {
            final int rank = draw();
            if (!taken[rank]) {
                taken[rank] = true;
                out[filled++] = rank;
            }
        }
        for (int rank = 0; filled < count; rank++) {
            if (!taken[rank]) {
                taken[rank] = true;
                out[filled++] = rank;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private int draw() {
        if (cumulative == null) {
            return random.nextInt(universe);
        }
        final double u = random.nextDouble();
        int index = Arrays.binarySearch(cumulative, u);
        if (index < 0) {
            index = -index - 1;
        }
        return Math.min(index, universe - 1);
    }
}
