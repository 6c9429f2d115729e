package io.ticker.loadgen.report;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a run was made on, for summary.json: figures only compare between like machines. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** Cores, memory, OS, JVM, host name and the open-files limit. */
    public static Map<String, Object> describe(final long openFilesLimit) {
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("hostname", hostname());
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("memoryBytes", os.getTotalMemorySize());
        out.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        out.put("arch", System.getProperty("os.arch"));
        out.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("jvmVendor", System.getProperty("java.vm.vendor"));
        out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        out.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.put("openFilesLimit", openFilesLimit == Long.MAX_VALUE ? "unlimited" : openFilesLimit);
        return out;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final java.io.IOException e) {
            return "unknown";
        }
    }
}
