package io.ticker.server.admission;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps on connections, decided before the upgrade: in total, per client address, and a per-address connect rate
 * (a token bucket), so that one client cannot take every slot or hammer the handshake path.
 */
public final class ConnectionLimiter {
    /** Why an upgrade was refused, or {@link #ADMITTED}. */
    public enum Verdict {
        ADMITTED,
        SERVER_FULL,
        TOO_MANY_FROM_ADDRESS,
        CONNECTING_TOO_FAST
    }

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final double connectsPerSecondPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private final ConcurrentHashMap<InetAddress, AddressState> byAddress = new ConcurrentHashMap<>();

    /**
     * @param maxConnections open connections in all; 0 means no cap
     * @param maxConnectionsPerAddress open connections from one address; 0 means no cap
     * @param connectsPerSecondPerAddress new connections per second from one address, with a burst of as many; 0
     *     means no limit
     */
    public ConnectionLimiter(
        final int maxConnections, final int maxConnectionsPerAddress, final double connectsPerSecondPerAddress) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.connectsPerSecondPerAddress = connectsPerSecondPerAddress;
    }

    /** Takes a slot for a connection from {@code address}, or says why not. A taken slot must be released. */
    public Verdict tryAcquire(final InetAddress address, final long nowNanos) {
        final Verdict verdict = decide(address, nowNanos);
        if (verdict != Verdict.ADMITTED) {
            refused.incrementAndGet();
        }
        return verdict;
    }

    /** Upgrades refused so far, for /metrics. */
    public long refused() {
        return refused.get();
    }

    private Verdict decide(final InetAddress address, final long nowNanos) {
        final AddressState state =
            byAddress.computeIfAbsent(address, a -> new AddressState(connectsPerSecondPerAddress));
        synchronized (state) {
            if (connectsPerSecondPerAddress > 0 && !state.takeConnectToken(nowNanos, connectsPerSecondPerAddress)) {
                return Verdict.CONNECTING_TOO_FAST;
            }
            if (maxConnectionsPerAddress > 0 && state.open >= maxConnectionsPerAddress) {
                return Verdict.TOO_MANY_FROM_ADDRESS;
            }
            if (maxConnections > 0 && total.incrementAndGet() > maxConnections) {
                total.decrementAndGet();
                return Verdict.SERVER_FULL;
            }
            if (maxConnections <= 0) {
                total.incrementAndGet();
            }
            state.open++;
            return Verdict.ADMITTED;
        }
    }

    /** Gives back the slot of a connection from {@code address} (closed, or its upgrade failed). */
    public void release(final InetAddress address) {
        total.decrementAndGet();
        final AddressState state = byAddress.get(address);
        if (state != null) {
            synchronized (state) {
                state.open--;
            }
        }
    }

    /** Slots taken now. */
    public int open() {
        return total.get();
    }

    /** Forgets addresses with nothing open and a full bucket, so the map does not grow with every client seen. */
    public void sweep(final long nowNanos) {
        byAddress.entrySet().removeIf(entry -> {
            final AddressState state = entry.getValue();
            synchronized (state) {
                return state.open == 0 && state.isIdle(nowNanos, connectsPerSecondPerAddress);
            }
        });
    }

    private static final class AddressState {
        int open;
        private final TokenBucket connects;

        AddressState(final double connectsPerSecond) {
            connects = new TokenBucket(burst(connectsPerSecond));
        }

        boolean takeConnectToken(final long nowNanos, final double perSecond) {
            return connects.take(nowNanos, perSecond, burst(perSecond));
        }

        boolean isIdle(final long nowNanos, final double perSecond) {
            return connects.isFull(nowNanos, perSecond, burst(perSecond));
        }

        /** A burst of as many connects as the rate allows in a second, at least one. */
        private static double burst(final double perSecond) {
            return Math.max(1, perSecond);
        }
    }
}
