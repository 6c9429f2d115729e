package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeapFootprintTest {
    /** A JVM's two ratio flags: values, which are still at the default, and the JVM's rule that min ≤ max. */
    private static final class FakeFlags implements HeapFootprint.VmFlags {
        final Map<String, Integer> values = new HashMap<>(Map.of(HeapFootprint.MIN_FREE, 40,
            HeapFootprint.MAX_FREE, 70));
        final Set<String> defaults = new HashSet<>(values.keySet());

        FakeFlags commandLine(final String name, final int value) {
            values.put(name, value);
            defaults.remove(name);
            return this;
        }

        @Override
        public boolean isDefault(final String name) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no such flag " + name);
            }
            return defaults.contains(name);
        }

        @Override
        public void set(final String name, final String value) {
            final Map<String, Integer> next = new HashMap<>(values);
            next.put(name, Integer.parseInt(value));
            if (next.get(HeapFootprint.MIN_FREE) > next.get(HeapFootprint.MAX_FREE)) {
                throw new IllegalArgumentException("MinHeapFreeRatio above MaxHeapFreeRatio");
            }
            values.putAll(next);
            defaults.remove(name);
        }
    }

    @Test
    void setsBothRatiosWhenTheCommandLineLeftThemAtDefault() {
        final FakeFlags flags = new FakeFlags();
        assertEquals("-XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30", HeapFootprint.apply(flags));
        assertEquals(Map.of(HeapFootprint.MIN_FREE, 10, HeapFootprint.MAX_FREE, 30), flags.values);
    }

    @Test
    void aRatioGivenOnTheCommandLineWins() {
        final FakeFlags flags = new FakeFlags().commandLine(HeapFootprint.MAX_FREE, 50);
        assertEquals("-XX:MinHeapFreeRatio=10", HeapFootprint.apply(flags));
        assertEquals(Map.of(HeapFootprint.MIN_FREE, 10, HeapFootprint.MAX_FREE, 50), flags.values);
    }

    @Test
    void aMaximumTheJvmRefusesIsLeftAsItWas() {
        final FakeFlags flags = new FakeFlags().commandLine(HeapFootprint.MIN_FREE, 50);
        assertEquals("", HeapFootprint.apply(flags));
        assertEquals(Map.of(HeapFootprint.MIN_FREE, 50, HeapFootprint.MAX_FREE, 70), flags.values);
    }

    @Test
    void aJvmWithoutTheFlagsIsLeftAlone() {
        final HeapFootprint.VmFlags none = new HeapFootprint.VmFlags() {
            @Override
            public boolean isDefault(final String name) {
                throw new IllegalArgumentException("no such flag " + name);
            }

            @Override
            public void set(final String name, final String value) {
                throw new AssertionError("must not set " + name);
            }
        };
        assertEquals("", HeapFootprint.apply(none));
    }
}
