package io.ticker.server.socket;

/**
 * How many frames of any kind one connection may send: data frames, continuation fragments (empty ones included),
 * pings and pongs all take a token from one bucket that refills at a steady rate. Each frame costs the IO thread a
 * parse and a dispatch whatever it carries; without a budget an endless stream of empty fragments or unsolicited
 * pongs held most of a core. A browser page sends a handful of commands and a pong per ping interval, far inside it.
 * Owning IO thread only.
 */
final class InboundFrameBudget {
    private final double framesPerSecond;
    private final double burst;
    private double tokens;
    private long refilledAtNanos = System.nanoTime();

    /** A budget of {@code framesPerSecond} with bursts of {@code burst}; a rate of 0 is no limit. */
    InboundFrameBudget(final double framesPerSecond, final double burst) {
        this.framesPerSecond = framesPerSecond;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes {@code frames} tokens; false once the bucket is empty: the client has been flooding for a while. */
    boolean take(final int frames) {
        if (framesPerSecond <= 0 || frames <= 0) {
            return true;
        }
        final long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAtNanos) * framesPerSecond / 1e9);
        refilledAtNanos = now;
        tokens -= frames;
        return tokens >= 0;
    }
}
