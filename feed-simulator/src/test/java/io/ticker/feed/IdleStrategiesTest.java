package io.ticker.feed;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

class IdleStrategiesTest {
    @Test
    void shouldMapShortNamesAndAgronaAliasesToStrategies() {
        assertInstanceOf(BackoffIdleStrategy.class, IdleStrategies.byName("backoff"));
        assertInstanceOf(SleepingIdleStrategy.class, IdleStrategies.byName("sleeping"));
        assertInstanceOf(SleepingIdleStrategy.class, IdleStrategies.byName("sleep-ns"));
        assertInstanceOf(YieldingIdleStrategy.class, IdleStrategies.byName("Yielding"));
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.byName("busy-spin"));
        assertInstanceOf(BusySpinIdleStrategy.class, IdleStrategies.byName("spin"));
        for (final String name : IdleStrategies.NAMES) {
            IdleStrategies.byName(name).idle(1);
        }
    }

    @Test
    void shouldGiveANewStrategyEachTimeSinceTheyKeepState() {
        assertNotSame(IdleStrategies.byName("backoff"), IdleStrategies.byName("backoff"));
    }

    @Test
    void shouldListTheValidNamesWhenANameIsUnknown() {
        final IllegalArgumentException e = assertThrows(
            IllegalArgumentException.class, () -> IdleStrategies.byName("lazy"));
        assertTrue(e.getMessage().contains("lazy") && e.getMessage().contains("backoff"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdleStrategies.byName(null));
    }
}
