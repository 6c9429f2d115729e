package io.ticker.server.admission;

/**
 * A token bucket for one client address: holds up to {@code burst} tokens, refills at {@code perSecond}. The caller
 * passes the clock and the rate on every call, so that one bucket costs two fields per address, and synchronizes on
 * whatever owns the bucket.
 */
final class TokenBucket {
    private double tokens;
    private long refilledAtNanos = Long.MIN_VALUE;

    TokenBucket(final double burst) {
        tokens = burst;
    }

    /** Takes one token; false, taking nothing, when the bucket is empty. */
    boolean take(final long nowNanos, final double perSecond, final double burst) {
        refill(nowNanos, perSecond, burst);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether a token could be taken now, taking none. */
    boolean hasToken(final long nowNanos, final double perSecond, final double burst) {
        refill(nowNanos, perSecond, burst);
        return tokens >= 1;
    }

    /** Whether the bucket is full again: its address can be forgotten without changing any later decision. */
    boolean isFull(final long nowNanos, final double perSecond, final double burst) {
        refill(nowNanos, perSecond, burst);
        return tokens >= burst;
    }

    private void refill(final long nowNanos, final double perSecond, final double burst) {
        if (refilledAtNanos != Long.MIN_VALUE && perSecond > 0) {
            tokens = Math.min(burst, tokens + (nowNanos - refilledAtNanos) * perSecond / 1e9);
        }
        refilledAtNanos = nowNanos;
    }
}
