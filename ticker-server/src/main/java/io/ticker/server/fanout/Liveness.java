package io.ticker.server.fanout;

import io.ticker.protocol.CloseCodes;

/**
 * The housekeeping checks of one shard's subscribers, a few times a second on its IO thread: closes subscribers
 * stuck behind one unfinished frame for longer than the stall timeout (they read nothing; conflation kept their
 * memory bounded, this frees it), closes those that sent no command within the idle timeout and those not heard from
 * for three ping intervals (a pong, a command, anything: how a half-open connection is found), drops those that have
 * not answered a close in time, and pings each of the rest once per ping interval, at its own phase of the interval.
 */
final class Liveness {
    /**
     * How long a subscriber we sent a close frame to may take to answer it before its connection is dropped; on a
     * graceful stop, the drain timeout instead ({@link #draining}).
     */
    static final long CLOSE_LINGER_NANOS = 2_000_000_000L;
    /** 2^64 over the golden ratio: successive multiples mod 2^64 spread evenly over the range. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final int SILENT_PING_INTERVALS = 3;

    private final ShardCounters counters;
    private final long idleTimeoutNanos;
    private long pingPhase;
    /** Set by {@link #draining}: the linger of a graceful stop, which replaces {@link #CLOSE_LINGER_NANOS}. */
    private long drainLingerNanos = -1;

    Liveness(final ShardCounters counters, final long idleTimeoutNanos) {
        this.counters = counters;
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    /** A graceful stop: every subscriber was sent a close and has {@code lingerNanos} to answer it. */
    void draining(final long lingerNanos) {
        drainLingerNanos = lingerNanos;
    }

    /** Checks one subscriber in a housekeeping pass at {@code nowNanos}: closes, drops or pings it if due. */
    void check(
        final Subscriber subscriber, final long nowNanos, final long pingIntervalNanos, final long stallTimeoutNanos) {
        final long silenceLimitNanos = SILENT_PING_INTERVALS * pingIntervalNanos;
        if (subscriber.isClosing()) {
            final long lingerNanos = drainLingerNanos >= 0
                ? drainLingerNanos : Math.min(silenceLimitNanos, CLOSE_LINGER_NANOS);
            if (nowNanos - subscriber.clock.closingSinceNanos() > lingerNanos) {
                subscriber.abort();
            }
        } else if (subscriber.stalledNanos(nowNanos) > stallTimeoutNanos) {
            counters.closedStalled();
            // A close the client must answer: one that reads gets the 1008; one that does not is reset after
            // CLOSE_LINGER_NANOS, which frees its socket's kernel memory at once.
            subscriber.close(CloseCodes.POLICY_VIOLATION, "not reading: no frame taken for "
                + stallTimeoutNanos / 1_000_000 + " ms");
        } else if (subscriber.clock.idleNanos(nowNanos) > idleTimeoutNanos) {
            subscriber.closeAndDisconnect(CloseCodes.POLICY_VIOLATION, "no command within "
                + idleTimeoutNanos / 1_000_000_000 + " s of connecting");
        } else if (nowNanos - subscriber.clock.lastHeardNanos() > silenceLimitNanos) {
            subscriber.closeAndDisconnect(CloseCodes.POLICY_VIOLATION,
                "nothing received within three ping intervals");
        } else if (pingDue(subscriber, nowNanos, pingIntervalNanos)) {
            subscriber.ping();
        }
    }

    /**
     * Whether {@code subscriber}'s ping is due, scheduling the next one. Pinging every connection in the same pass
     * makes a burst of a thousand pings, and then of a thousand pongs to read, that holds up one tick's quotes by
     * milliseconds every interval (with a thousand connections it more than doubles the p99.9). So each
     * subscriber gets its own phase, spread over the interval by the golden-ratio sequence: connections that arrive
     * together are still pinged apart.
     */
    private boolean pingDue(final Subscriber subscriber, final long nowNanos, final long pingIntervalNanos) {
        final ConnectionClock clock = subscriber.clock;
        final long due = clock.nextPingNanos;
        if (due == ConnectionClock.PING_UNSCHEDULED) {
            pingPhase += GOLDEN_GAMMA;
            final double fraction = (pingPhase >>> 11) * 0x1.0p-53;
            clock.nextPingNanos = nowNanos + (long) (fraction * pingIntervalNanos);
            return false;
        }
        if (nowNanos - due < 0) {
            return false;
        }
        final long next = due + pingIntervalNanos;
        // a pass that came late (a long GC, a suspended VM) must not turn into a ping per pass
        clock.nextPingNanos = nowNanos - next < 0 ? next : nowNanos + pingIntervalNanos;
        return true;
    }
}
