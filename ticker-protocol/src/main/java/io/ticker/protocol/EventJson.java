package io.ticker.protocol;

import java.util.Collection;
import java.util.List;

/**
 * Writes the server's non-quote events (acks, lists, pongs, errors) as JSON objects. These are answers to commands,
 * the cold path, so they are plain strings; quotes go through {@link QuoteJsonEncoder} instead.
 */
public final class EventJson {
    private EventJson() {
    }

    /** {@code {"type":"subscribed","id":..,"symbols":[..]}}. */
    public static String subscribed(final String id, final Collection<String> symbols) {
        return withSymbols("subscribed", id, symbols);
    }

    /**
     * {@code {"type":"subscribed","id":..,"symbols":[..],"epoch":N}}: the ack, with the feed session the quotes
     * that follow belong to (their {@code seq} is comparable only within it).
     */
    public static String subscribed(final String id, final Collection<String> symbols, final long epoch) {
        final StringBuilder out = start("subscribed", id);
        out.append(",\"symbols\":");
        appendArray(out, symbols);
        return out.append(",\"epoch\":").append(epoch).append('}').toString();
    }

    /**
     * The ack of a subscribe, as {@link #subscribed(String, List, long, long[])} (or, with {@code openPrices} null,
     * {@link #subscribed(String, Collection, long)}), and for a subscribe that carried {@code since}, whether the
     * server recovers what the client missed: {@code "recovered":true}, or {@code "recovered":false} with
     * {@code "reason"}. {@link Recovery#NOT_ASKED} adds nothing.
     */
    public static String subscribed(
        final String id,
        final List<String> symbols,
        final long epoch,
        final long[] openPrices,
        final Recovery recovery,
        final String reason) {
        final String ack = openPrices == null ? subscribed(id, symbols, epoch) : subscribed(id, symbols, epoch,
            openPrices);
        if (recovery == Recovery.NOT_ASKED) {
            return ack;
        }
        final StringBuilder out = new StringBuilder(ack.length() + 48).append(ack, 0, ack.length() - 1);
        out.append(",\"recovered\":").append(recovery == Recovery.RECOVERED);
        if (recovery == Recovery.NOT_RECOVERED) {
            out.append(",\"reason\":");
            appendQuoted(out, reason);
        }
        return out.append('}').toString();
    }

    /**
     * {@code {"type":"subscribed","id":..,"symbols":[..],"epoch":N,"open":{"AAPL":189.12,..}}}: the ack with the
     * feed session and, for each symbol, its reference price in that session ({@code openPrices[i]} is the
     * fixed-point price of the i-th symbol): the base a change is measured from.
     */
    public static String subscribed(
        final String id, final List<String> symbols, final long epoch, final long[] openPrices) {
        final StringBuilder out = start("subscribed", id);
        out.append(",\"symbols\":");
        appendArray(out, symbols);
        out.append(",\"epoch\":").append(epoch).append(",\"open\":{");
        for (int i = 0; i < symbols.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendQuoted(out, symbols.get(i));
            out.append(':').append(FixedPoint.toString(openPrices[i]));
        }
        return out.append("}}").toString();
    }

    /**
     * {@code {"type":"reset","epoch":N}}: the feed started a new session; what the client holds is stale, and
     * {@code seq} starts again. Snapshots of the client's symbols follow, as after a subscribe.
     */
    public static String reset(final long epoch) {
        return start("reset", null).append(",\"epoch\":").append(epoch).append('}').toString();
    }

    /** {@code {"type":"unsubscribed","id":..,"symbols":[..]}}. */
    public static String unsubscribed(final String id, final Collection<String> symbols) {
        return withSymbols("unsubscribed", id, symbols);
    }

    /** {@code {"type":"symbols","id":..,"symbols":[..]}}: the universe. */
    public static String symbols(final String id, final Collection<String> symbols) {
        return withSymbols("symbols", id, symbols);
    }

    /** {@code {"type":"pong","id":..,"ts":micros}}. */
    public static String pong(final String id, final long timestampMicros) {
        final StringBuilder out = start("pong", id);
        return out.append(",\"ts\":").append(timestampMicros).append('}').toString();
    }

    /** {@code {"type":"error","id":..,"code":"..","message":".."}}. */
    public static String error(final String id, final ErrorCode code, final String message) {
        final StringBuilder out = start("error", id);
        out.append(",\"code\":\"").append(code.name()).append("\",\"message\":");
        appendQuoted(out, message);
        return out.append('}').toString();
    }

    /** A JSON array of the given symbols: the body of {@code GET /api/symbols}. */
    public static String symbolArray(final Collection<String> symbols) {
        final StringBuilder out = new StringBuilder(symbols.size() * 8);
        appendArray(out, symbols);
        return out.toString();
    }

    /** {@code text} as a JSON string literal, escaped. */
    public static String quote(final String text) {
        final StringBuilder out = new StringBuilder(text.length() + 2);
        appendQuoted(out, text);
        return out.toString();
    }

    /** Appends {@code text} as a JSON string literal, escaped. */
    public static void appendQuoted(final StringBuilder out, final String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * The {@code symbols} answer without its start, {@code ,"symbols":[..]}}: the universe does not change, so the
     * server encodes this once and puts {@link #symbolsStart} before it for each request.
     */
    public static String symbolsMembers(final Collection<String> symbols) {
        final StringBuilder out = new StringBuilder(symbols.size() * 8 + 16);
        out.append(",\"symbols\":");
        appendArray(out, symbols);
        return out.append('}').toString();
    }

    /** The start of the {@code symbols} answer, {@code {"type":"symbols","id":..}, before {@link #symbolsMembers}. */
    public static String symbolsStart(final String id) {
        return start("symbols", id).toString();
    }

    private static String withSymbols(final String type, final String id, final Collection<String> symbols) {
        final StringBuilder out = start(type, id);
        out.append(",\"symbols\":");
        appendArray(out, symbols);
        return out.append('}').toString();
    }

    private static void appendArray(final StringBuilder out, final Collection<String> symbols) {
        out.append('[');
        boolean first = true;
        for (final String symbol : symbols) {
            if (!first) {
                out.append(',');
            }
            first = false;
            appendQuoted(out, symbol);
        }
        out.append(']');
    }

    private static StringBuilder start(final String type, final String id) {
        final StringBuilder out = new StringBuilder(64);
        out.append("{\"type\":\"").append(type).append('"');
        if (id != null) {
            out.append(",\"id\":").append(id);
        }
        return out;
    }
}
