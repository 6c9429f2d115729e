package io.ticker.loadgen.report;

import io.ticker.protocol.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Every figure of a run as the tree written to {@code summary.json}, with typed reads by path for the table, the
 * report, {@code merge} and {@code compare}. A tree rather than a class per section: the file is the contract, it
 * reads back with the protocol's strict {@link JsonParser}, and older or merged files with fewer sections still load.
 */
public final class RunSummary {
    /** Format version of summary.json. */
    public static final int FORMAT_VERSION = 1;
    /** Percentile keys in the order tables show them, with their percentiles. */
    public static final String[] PERCENTILE_KEYS = {"p50", "p90", "p99", "p99.9", "p99.99", "max"};
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};

    private final Map<String, Object> root;

    /** A summary over {@code root} (which it keeps, not copies). */
    public RunSummary(final Map<String, Object> root) {
        this.root = root;
    }

    /** Reads {@code summary.json}. */
    @SuppressWarnings("unchecked")
    public static RunSummary read(final Path file) throws IOException {
        final Object parsed = JsonParser.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map<?, ?>)) {
            throw new IOException(file + " is not a JSON object");
        }
        return new RunSummary((Map<String, Object>) parsed);
    }

    /** The tree. */
    public Map<String, Object> root() {
        return root;
    }

    /** The summary as JSON. */
    public String toJson() {
        return JsonText.write(root);
    }

    /** The number at {@code path}, or NaN when absent or not a number. */
    public double number(final String... path) {
        final Object value = value(path);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The text at {@code path}, or null. */
    public String text(final String... path) {
        final Object value = value(path);
        return value == null || value == JsonParser.NULL ? null : value.toString();
    }

    /** The object at {@code path}, or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> section(final String... path) {
        final Object value = value(path);
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : new LinkedHashMap<>();
    }

    /** The numbers of the array at {@code path} (nulls as NaN), or an empty array. */
    public double[] numbers(final String... path) {
        final Object value = value(path);
        if (!(value instanceof List<?> list)) {
            return new double[0];
        }
        final double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i) instanceof Number n ? n.doubleValue() : Double.NaN;
        }
        return out;
    }

    /** The value at {@code path}, or null. */
    public Object value(final String... path) {
        Object node = root;
        for (final String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    /** Count, mean, standard deviation, the table's percentiles and max of a microsecond histogram. */
    public static Map<String, Object> distribution(final Histogram histogram) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final long count = histogram.getTotalCount();
        out.put("count", count);
        out.put("min", count == 0 ? null : histogram.getMinValue());
        out.put("mean", count == 0 ? null : histogram.getMean());
        out.put("stddev", count == 0 ? null : histogram.getStdDeviation());
        for (int i = 0; i < PERCENTILE_KEYS.length; i++) {
            out.put(PERCENTILE_KEYS[i], count == 0 ? null
                : PERCENTILES[i] == 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(PERCENTILES[i]));
        }
        return out;
    }
}
