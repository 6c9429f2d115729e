package io.ticker.loadgen.report;

import io.ticker.protocol.EventJson;
import io.ticker.protocol.JsonParser;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the value trees of {@code summary.json} ({@link Map}, {@link List}, {@link String}, {@link Number},
 * {@link Boolean}, null) as indented JSON. Non-finite doubles, which JSON cannot hold, are written as null.
 */
public final class JsonText {
    private JsonText() {
    }

    /** The value as pretty-printed JSON. */
    public static String write(final Object value) {
        final StringBuilder out = new StringBuilder();
        write(value, out, 0);
        out.append('\n');
        return out.toString();
    }

    private static void write(final Object value, final StringBuilder out, final int indent) {
        if (value == null || value == JsonParser.NULL) {
            out.append("null");
        } else if (value instanceof String text) {
            string(text, out);
        } else if (value instanceof Double d) {
            out.append(Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : "null");
        } else if (value instanceof Float f) {
            write(f.doubleValue(), out, indent);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            object(map, out, indent);
        } else if (value instanceof Iterable<?> list) {
            array(list, out, indent);
        } else if (value instanceof long[] longs) {
            out.append('[');
            for (int i = 0; i < longs.length; i++) {
                out.append(i == 0 ? "" : ",").append(longs[i]);
            }
            out.append(']');
        } else if (value instanceof double[] doubles) {
            out.append('[');
            for (int i = 0; i < doubles.length; i++) {
                out.append(i == 0 ? "" : ",");
                write(doubles[i], out, indent);
            }
            out.append(']');
        } else {
            string(value.toString(), out);
        }
    }

    private static void object(final Map<?, ?> map, final StringBuilder out, final int indent) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        final Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            final Map.Entry<?, ?> entry = entries.next();
            pad(out, indent + 1);
            string(String.valueOf(entry.getKey()), out);
            out.append(": ");
            write(entry.getValue(), out, indent + 1);
            out.append(entries.hasNext() ? ",\n" : "\n");
        }
        pad(out, indent);
        out.append('}');
    }

    private static void array(final Iterable<?> list, final StringBuilder out, final int indent) {
        final Iterator<?> items = list.iterator();
        if (!items.hasNext()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        while (items.hasNext()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            write(items.next(), out, indent + 1);
        }
        out.append(']');
    }

    private static void pad(final StringBuilder out, final int indent) {
        for (int i = 0; i < indent; i++) {
            out.append("  ");
        }
    }

    private static void string(final String text, final StringBuilder out) {
        // The contract's own escaping, so a results file quotes strings exactly as the server's events do.
        EventJson.appendQuoted(out, text);
    }
}
