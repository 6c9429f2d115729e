package io.ticker.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A purpose-built scanner for server frames: a JSON array of event objects. It walks the bytes once, picks out
 * {@code type}, {@code symbol}, {@code seq}, {@code ts}, {@code snapshot}, {@code replayed}, {@code conflated},
 * {@code epoch}, {@code code}, {@code recovered} and {@code reason}, skips every other member (prices, sizes, symbol
 * lists) without decoding it, and reports each event to a {@link FrameListener}. Members may come in any order. It
 * builds no DOM and allocates nothing for quotes, which is what lets one event loop read hundreds of thousands of
 * quotes a second; JSON it does not need is checked only as far as skipping requires.
 *
 * <p>One instance per event loop (or connection): it keeps the fields of the event being scanned.
 *
 * <p>It is longer than most classes here because it is one pass over one byte array: the member dispatch, the value
 * readers and the skipping share the cursor and the event's fields, and split into classes they would have to hand
 * both back and forth on every member of every quote.
 */
public final class JsonFrameScanner implements FrameScanner {
    private static final byte[] KEY_TYPE = ascii("type");
    private static final byte[] KEY_SYMBOL = ascii("symbol");
    private static final byte[] KEY_SEQ = ascii("seq");
    private static final byte[] KEY_TS = ascii("ts");
    private static final byte[] KEY_SNAPSHOT = ascii("snapshot");
    private static final byte[] KEY_CONFLATED = ascii("conflated");
    private static final byte[] KEY_CODE = ascii("code");
    private static final byte[] KEY_EPOCH = ascii("epoch");
    private static final byte[] KEY_REPLAYED = ascii("replayed");
    private static final byte[] KEY_RECOVERED = ascii("recovered");
    private static final byte[] KEY_REASON = ascii("reason");

    private static final byte[] TYPE_QUOTE = ascii("quote");
    private static final byte[] TYPE_SUBSCRIBED = ascii("subscribed");
    private static final byte[] TYPE_UNSUBSCRIBED = ascii("unsubscribed");
    private static final byte[] TYPE_SYMBOLS = ascii("symbols");
    private static final byte[] TYPE_PONG = ascii("pong");
    private static final byte[] TYPE_ERROR = ascii("error");
    private static final byte[] TYPE_RESET = ascii("reset");

    private byte[] buf;
    private int pos;
    private int end;
    private boolean failed;

    private EventType type;
    private int symbolOffset;
    private int symbolLength;
    private long seq;
    private long ts;
    private boolean snapshot;
    private boolean replayed;
    private Recovery recovery;
    private int reasonOffset;
    private int reasonLength;
    private long conflated;
    private long epoch;
    private int codeOffset;
    private int codeLength;

    /**
     * Scans {@code length} bytes of {@code bytes} from {@code offset} and reports every event; offsets given to the
     * listener index {@code bytes}.
     *
     * @return the number of events reported
     */
    @Override
    public int scan(final byte[] bytes, final int offset, final int length, final FrameListener listener) {
        buf = bytes;
        pos = offset;
        end = offset + length;
        failed = false;
        int events = 0;
        skipWhitespace();
        if (!consume('[')) {
            return malformed(listener, "frame is not a JSON array", events);
        }
        skipWhitespace();
        if (consume(']')) {
            return trailing(listener, events);
        }
        while (true) {
            skipWhitespace();
            if (!event()) {
                return malformed(listener, "bad event object", events);
            }
            dispatch(listener);
            events++;
            skipWhitespace();
            if (consume(']')) {
                return trailing(listener, events);
            }
            if (!consume(',')) {
                return malformed(listener, "expected ',' or ']' between events", events);
            }
        }
    }

    /**
     * Scans one event object (not an array) of {@code length} bytes of {@code bytes} from {@code offset} and reports
     * it: the body of a {@code ticker.v1.binary} event record, which is the object the JSON array would hold.
     *
     * @return 1, or 0 when the bytes are not one JSON object (reported as malformed)
     */
    public int scanEvent(final byte[] bytes, final int offset, final int length, final FrameListener listener) {
        buf = bytes;
        pos = offset;
        end = offset + length;
        failed = false;
        skipWhitespace();
        if (!event()) {
            return malformed(listener, "bad event object", 0);
        }
        skipWhitespace();
        if (pos != end) {
            return malformed(listener, "text after the event object", 0);
        }
        dispatch(listener);
        buf = null;
        return 1;
    }

    private int trailing(final FrameListener listener, final int events) {
        skipWhitespace();
        if (pos != end) {
            return malformed(listener, "text after the array", events);
        }
        buf = null;
        return events;
    }

    private int malformed(final FrameListener listener, final String reason, final int events) {
        buf = null;
        listener.onMalformed(reason);
        return events;
    }

    private void dispatch(final FrameListener listener) {
        switch (type) {
            case QUOTE -> listener.onQuote(buf, symbolOffset, symbolLength, seq, ts, snapshot, replayed, conflated);
            case SUBSCRIBED, UNSUBSCRIBED, SYMBOLS -> listener.onAck(type, epoch, recovery, reasonLength < 0 ? null
                : new String(buf, reasonOffset, reasonLength, StandardCharsets.UTF_8));
            case RESET -> listener.onReset(epoch);
            case PONG -> listener.onPong(ts);
            case ERROR -> listener.onError(codeLength < 0 ? "" : new String(buf, codeOffset, codeLength,
                StandardCharsets.UTF_8));
            default -> listener.onUnknownEvent();
        }
    }

    /** Scans one object, leaving its fields in this scanner's state; false when it is not an object. */
    private boolean event() {
        type = EventType.UNKNOWN;
        symbolOffset = 0;
        symbolLength = 0;
        seq = -1;
        ts = -1;
        snapshot = false;
        replayed = false;
        recovery = Recovery.NOT_ASKED;
        reasonOffset = 0;
        reasonLength = -1;
        conflated = 0;
        epoch = -1;
        codeOffset = 0;
        codeLength = -1;
        if (!consume('{')) {
            return false;
        }
        skipWhitespace();
        if (consume('}')) {
            return true;
        }
        while (true) {
            skipWhitespace();
            if (!consume('"')) {
                return false;
            }
            final int keyStart = pos;
            if (!skipStringBody()) {
                return false;
            }
            final int keyLength = pos - 1 - keyStart;
            skipWhitespace();
            if (!consume(':')) {
                return false;
            }
            skipWhitespace();
            if (!member(keyStart, keyLength)) {
                return false;
            }
            skipWhitespace();
            if (consume('}')) {
                return true;
            }
            if (!consume(',')) {
                return false;
            }
        }
    }

    private boolean member(final int keyStart, final int keyLength) {
        if (matches(keyStart, keyLength, KEY_SYMBOL)) {
            return stringValue(true);
        }
        if (matches(keyStart, keyLength, KEY_SEQ)) {
            seq = integerValue();
            return !failed;
        }
        if (matches(keyStart, keyLength, KEY_TS)) {
            ts = integerValue();
            return !failed;
        }
        if (matches(keyStart, keyLength, KEY_TYPE)) {
            final int start = pos + 1;
            if (!stringValue(false)) {
                return false;
            }
            type = typeOf(start, pos - 1 - start);
            return true;
        }
        if (matches(keyStart, keyLength, KEY_SNAPSHOT)) {
            snapshot = peek() == 't';
            return skipValue(0);
        }
        if (matches(keyStart, keyLength, KEY_REPLAYED)) {
            replayed = peek() == 't';
            return skipValue(0);
        }
        if (matches(keyStart, keyLength, KEY_RECOVERED)) {
            recovery = peek() == 't' ? Recovery.RECOVERED : peek() == 'f' ? Recovery.NOT_RECOVERED : Recovery.NOT_ASKED;
            return skipValue(0);
        }
        if (matches(keyStart, keyLength, KEY_REASON) && peek() == '"') {
            reasonOffset = pos + 1;
            if (!stringValue(false)) {
                return false;
            }
            reasonLength = pos - 1 - reasonOffset;
            return true;
        }
        if (matches(keyStart, keyLength, KEY_CONFLATED)) {
            conflated = integerValue();
            return !failed;
        }
        if (matches(keyStart, keyLength, KEY_EPOCH)) {
            epoch = integerValue();
            return !failed;
        }
        if (matches(keyStart, keyLength, KEY_CODE) && peek() == '"') {
            codeOffset = pos + 1;
            if (!stringValue(false)) {
                return false;
            }
            codeLength = pos - 1 - codeOffset;
            return true;
        }
        return skipValue(0);
    }

    private EventType typeOf(final int start, final int length) {
        if (matches(start, length, TYPE_QUOTE)) {
            return EventType.QUOTE;
        }
        if (matches(start, length, TYPE_SUBSCRIBED)) {
            return EventType.SUBSCRIBED;
        }
        if (matches(start, length, TYPE_UNSUBSCRIBED)) {
            return EventType.UNSUBSCRIBED;
        }
        if (matches(start, length, TYPE_SYMBOLS)) {
            return EventType.SYMBOLS;
        }
        if (matches(start, length, TYPE_PONG)) {
            return EventType.PONG;
        }
        if (matches(start, length, TYPE_ERROR)) {
            return EventType.ERROR;
        }
        if (matches(start, length, TYPE_RESET)) {
            return EventType.RESET;
        }
        return EventType.UNKNOWN;
    }

    private boolean stringValue(final boolean isSymbol) {
        if (!consume('"')) {
            return false;
        }
        final int start = pos;
        if (!skipStringBody()) {
            return false;
        }
        if (isSymbol) {
            symbolOffset = start;
            symbolLength = pos - 1 - start;
        }
        return true;
    }

    /** An integer; a fraction or exponent is read past and dropped. Sets {@link #failed} when there is no number. */
    private long integerValue() {
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        final int start = pos;
        long value = 0;
        while (pos < end) {
            final byte b = buf[pos];
            if (b < '0' || b > '9') {
                break;
            }
            value = value * 10 + (b - '0');
            pos++;
        }
        if (pos == start) {
            failed = true;
            return 0;
        }
        skipNumberTail();
        return negative ? -value : value;
    }

    private void skipNumberTail() {
        while (pos < end) {
            final byte b = buf[pos];
            if ((b >= '0' && b <= '9') || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** Skips any JSON value; nesting is bounded so that a hostile frame cannot exhaust the stack. */
    private boolean skipValue(final int depth) {
        if (depth > 32 || pos >= end) {
            return false;
        }
        final byte b = buf[pos];
        switch (b) {
            case '"':
                pos++;
                return skipStringBody();
            case '{':
            case '[':
                return skipContainer(b == '{' ? '}' : ']', depth);
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    pos++;
                    skipNumberTail();
                    return true;
                }
                return false;
        }
    }

    private boolean skipContainer(final char close, final int depth) {
        final boolean isObject = close == '}';
        pos++;
        skipWhitespace();
        if (consume(close)) {
            return true;
        }
        while (true) {
            skipWhitespace();
            if (isObject) {
                if (!consume('"') || !skipStringBody()) {
                    return false;
                }
                skipWhitespace();
                if (!consume(':')) {
                    return false;
                }
                skipWhitespace();
            }
            if (!skipValue(depth + 1)) {
                return false;
            }
            skipWhitespace();
            if (consume(close)) {
                return true;
            }
            if (!consume(',')) {
                return false;
            }
        }
    }

    /** Moves past the closing quote of a string whose opening quote was consumed. */
    private boolean skipStringBody() {
        while (pos < end) {
            final byte b = buf[pos++];
            if (b == '"') {
                return true;
            }
            if (b == '\\') {
                pos++;
            }
        }
        return false;
    }

    private boolean literal(final String word) {
        if (end - pos < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (buf[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += word.length();
        return true;
    }

    private boolean matches(final int start, final int length, final byte[] expected) {
        if (length != expected.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (buf[start + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean consume(final char c) {
        if (pos < end && buf[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private byte peek() {
        return pos < end ? buf[pos] : 0;
    }

    private void skipWhitespace() {
        while (pos < end) {
            final byte b = buf[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
