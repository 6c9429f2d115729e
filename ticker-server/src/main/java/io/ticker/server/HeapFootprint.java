package io.ticker.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;

/**
 * Makes the server's JVM hand free heap back to the operating system after a collection, unless the command line
 * says otherwise.
 *
 * <p>Why: thousands of connections set up at once leave a burst of garbage, and by default HotSpot keeps up to 70% of
 * the heap committed but free after a collection shrinks it ({@code MaxHeapFreeRatio}). For a server that then holds
 * those connections idle, that free heap is most of its resident memory: with 19,000 idle connections, 14.3 KB of RSS
 * per connection against 5.3 KB of live heap. Both ratios are "manageable" flags, so the server can set them itself and
 * a plain {@code java -jar} gets them. A flag given on the command line wins: only flags still at the JVM's default are
 * changed.
 */
final class HeapFootprint {
    /** Free heap kept after a collection before the heap shrinks, in percent (HotSpot's default: 70). */
    static final String MAX_FREE = "MaxHeapFreeRatio";
    /** Free heap below which a collection grows the heap, in percent (HotSpot's default: 40). */
    static final String MIN_FREE = "MinHeapFreeRatio";
    static final int MAX_FREE_PERCENT = 30;
    static final int MIN_FREE_PERCENT = 10;

    /** The JVM's flags, as far as this class needs them. */
    interface VmFlags {
        /** Whether {@code name} still has the JVM's default value (not set on the command line or since). */
        boolean isDefault(String name);

        /** Sets {@code name}; throws if the JVM refuses. */
        void set(String name, String value);
    }

    private HeapFootprint() {
    }

    /**
     * Applies the ratios to this JVM where it can.
     *
     * @return what was set, for the log, or an empty string when nothing was
     */
    static String applyToThisJvm() {
        final HotSpotDiagnosticMXBean hotSpot;
        try {
            hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (final RuntimeException | LinkageError e) {
            return "";
        }
        if (hotSpot == null) {
            return "";
        }
        return apply(new VmFlags() {
            @Override
            public boolean isDefault(final String name) {
                return hotSpot.getVMOption(name).getOrigin() == VMOption.Origin.DEFAULT;
            }

            @Override
            public void set(final String name, final String value) {
                hotSpot.setVMOption(name, value);
            }
        });
    }

    /**
     * Sets each ratio still at its default. The minimum goes first, since the JVM refuses a maximum below the
     * minimum in force. A flag the JVM does not know or will not change is left as it is: the server runs either way.
     */
    static String apply(final VmFlags flags) {
        final StringBuilder set = new StringBuilder();
        setIfDefault(flags, MIN_FREE, MIN_FREE_PERCENT, set);
        setIfDefault(flags, MAX_FREE, MAX_FREE_PERCENT, set);
        return set.toString();
    }

    private static void setIfDefault(final VmFlags flags, final String name, final int percent,
        final StringBuilder set) {
        try {
            if (flags.isDefault(name)) {
                flags.set(name, Integer.toString(percent));
                set.append(set.length() == 0 ? "" : " ").append("-XX:").append(name).append('=').append(percent);
            }
        } catch (final RuntimeException e) {
            // an unknown flag (another JVM) or a value it refuses: keep the JVM's own setting
        }
    }
}
