package io.ticker.server.ring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * The ring consumer's wait strategy, chosen by a short name. On a 2-core machine {@code blocking} is the default: it
 * costs a few microseconds of wake-up latency but leaves the cores to the IO threads that do the real work;
 * {@code yielding} and {@code busy-spin} take a whole core for lower latency.
 */
public final class WaitStrategies {
    /** The names {@link #byName} accepts. */
    public static final String NAMES = "blocking, sleeping, yielding, busy-spin";

    private WaitStrategies() {
    }

    /**
     * The strategy for {@code name}.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static WaitStrategy byName(final String name) {
        return switch (name) {
            case "blocking" -> new BlockingWaitStrategy();
            case "sleeping" -> new SleepingWaitStrategy();
            case "yielding" -> new YieldingWaitStrategy();
            case "busy-spin" -> new BusySpinWaitStrategy();
            default -> throw new IllegalArgumentException(
                "unknown wait strategy '" + name + "'; expected one of " + NAMES);
        };
    }
}
