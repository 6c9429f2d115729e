package io.ticker.server.ring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * The ring consumer's wait strategy, chosen by a short name. {@code blocking} parks a consumer thread until the
 * producer signals; {@code yielding} and {@code busy-spin} take a whole core for lower wake-up latency. {@link #INLINE}
 * has no consumer thread at all: the producer's thread runs the handler over each burst it has published, through an
 * {@link com.lmax.disruptor.EventPoller}, so an update crosses one thread hand-off (feed to IO thread) instead of two.
 */
public final class WaitStrategies {
    /** No consumer thread: the producer drains the ring after each burst ({@link QuoteRing#endOfBatch()}). */
    public static final String INLINE = "inline";
    /** The names {@link #byName} and {@link QuoteRing} accept. */
    public static final String NAMES = "inline, blocking, sleeping, yielding, busy-spin";

    private WaitStrategies() {
    }

    /**
     * The strategy for {@code name}.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static WaitStrategy byName(final String name) {
        return switch (name) {
            // Nobody waits on an inline ring; the producer is never gated for long, since it drains its own bursts.
            case INLINE, "blocking" -> new BlockingWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "unknown wait strategy '" + name + "'; expected one of " + NAMES);
        };
    }
}
