package io.ticker.loadgen;

/** Placeholder until the load generator's own issue; prints that it is not built yet. */
public final class LoadGeneratorMain {
    private LoadGeneratorMain() {
    }

    /** Entry point. */
    public static void main(final String[] args) {
        System.err.println("load-generator: not built yet");
        System.exit(1);
    }
}
