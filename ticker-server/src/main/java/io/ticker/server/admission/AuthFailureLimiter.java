package io.ticker.server.admission;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failed token checks, per client address: each failure takes a token from its address's bucket, and an address with
 * an empty bucket gets 429 before its token is even looked at, so a script guessing tokens is held to the refill rate
 * whatever the connect rate allows. Counts the failures for /metrics and logs them, address only, through a
 * {@link ThrottledLog}. Any thread.
 */
public final class AuthFailureLimiter {
    private final double failuresPerSecond;
    private final double burst;
    private final ThrottledLog log;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final ConcurrentHashMap<InetAddress, TokenBucket> byAddress = new ConcurrentHashMap<>();

    /**
     * @param failuresPerSecond failed checks one address may make per second once its burst is spent; 0 is no limit
     * @param burst failed checks one address may make at once
     * @param log where each failure is reported (at a bounded rate)
     */
    public AuthFailureLimiter(final double failuresPerSecond, final double burst, final ThrottledLog log) {
        this.failuresPerSecond = failuresPerSecond;
        this.burst = Math.max(1, burst);
        this.log = log;
    }

    /**
     * Whether {@code address} has spent its failures and must wait (429) before its next token is checked. Counts a
     * throttled attempt.
     */
    public boolean throttles(final InetAddress address, final long nowNanos) {
        if (failuresPerSecond <= 0) {
            return false;
        }
        final TokenBucket bucket = byAddress.get(address);
        if (bucket == null) {
            return false;
        }
        final boolean empty;
        synchronized (bucket) {
            empty = !bucket.hasToken(nowNanos, failuresPerSecond, burst);
        }
        if (empty) {
            throttled.incrementAndGet();
        }
        return empty;
    }

    /** Records a failed token check from {@code address}. */
    public void failed(final InetAddress address, final long nowNanos) {
        failures.incrementAndGet();
        if (failuresPerSecond > 0) {
            final TokenBucket bucket = byAddress.computeIfAbsent(address, a -> new TokenBucket(burst));
            synchronized (bucket) {
                bucket.take(nowNanos, failuresPerSecond, burst);
            }
        }
        log.log(nowNanos, "ticker-server: refused a WebSocket upgrade from " + address.getHostAddress()
            + ": missing or invalid token");
    }

    /** Failed token checks so far, for /metrics. */
    public long failures() {
        return failures.get();
    }

    /** Upgrades refused with 429 because their address had spent its failures. */
    public long throttled() {
        return throttled.get();
    }

    /** Forgets addresses whose bucket is full again, so the map does not grow with every address that failed once. */
    public void sweep(final long nowNanos) {
        byAddress.entrySet().removeIf(entry -> {
            final TokenBucket bucket = entry.getValue();
            synchronized (bucket) {
                return bucket.isFull(nowNanos, failuresPerSecond, burst);
            }
        });
    }
}
