package io.ticker.feed;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.List;
import java.util.Locale;

/**
 * Agrona idle strategies by the short names a command line takes, so that every program of the project offers the
 * same choice. What each costs, from least to most CPU when idle:
 * <ul>
 *     <li>{@code sleeping-millis}: sleeps 1 ms; near zero CPU, reacts within about a millisecond</li>
 *     <li>{@code sleeping}: parks for the shortest time the OS allows (tens of microseconds on Linux); little
 *     CPU</li>
 *     <li>{@code backoff}: spins, then yields, then parks up to 1 ms; reacts fast after work, low CPU when idle</li>
 *     <li>{@code yielding}: {@code Thread.yield()}; a core while others do not need it</li>
 *     <li>{@code busy-spin}: spins with {@code Thread.onSpinWait()}; burns a whole core, lowest latency</li>
 *     <li>{@code noop}: returns at once; burns a whole core</li>
 * </ul>
 * Agrona's own aliases ({@code sleep-ms}, {@code sleep-ns}, {@code yield}, {@code spin}) are accepted too.
 */
public final class IdleStrategies {
    /** The names {@link #byName} takes, cheapest first. */
    public static final List<String> NAMES = List.of(
        "sleeping-millis", "sleeping", "backoff", "yielding", "busy-spin", "noop",
        SleepingMillisIdleStrategy.ALIAS, SleepingIdleStrategy.ALIAS, YieldingIdleStrategy.ALIAS,
        BusySpinIdleStrategy.ALIAS);

    private IdleStrategies() {
    }

    /**
     * A new idle strategy (they keep state, so one per thread).
     *
     * @param name one of {@link #NAMES}, in any case
     * @throws IllegalArgumentException naming the valid names if {@code name} is not one
     */
    public static IdleStrategy byName(final String name) {
        final String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "sleeping-millis", SleepingMillisIdleStrategy.ALIAS -> new SleepingMillisIdleStrategy();
            case "sleeping", SleepingIdleStrategy.ALIAS -> new SleepingIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy();
            case "yielding", YieldingIdleStrategy.ALIAS -> new YieldingIdleStrategy();
            case "busy-spin", BusySpinIdleStrategy.ALIAS -> new BusySpinIdleStrategy();
            case "noop" -> new NoOpIdleStrategy();
            default -> throw new IllegalArgumentException(
                "unknown idle strategy '" + name + "'; valid names: " + String.join(", ", NAMES));
        };
    }
}
