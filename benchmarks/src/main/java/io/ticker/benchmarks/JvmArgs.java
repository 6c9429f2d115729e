package io.ticker.benchmarks;

/** JVM flags every benchmark fork needs, for {@code @Fork(jvmArgsAppend = ...)}. */
public final class JvmArgs {
    /** Agrona 2 (the shards' queues and maps) reaches {@code jdk.internal.misc.Unsafe}. */
    public static final String AGRONA_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";

    private JvmArgs() {
    }
}
