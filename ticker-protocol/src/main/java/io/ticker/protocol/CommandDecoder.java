package io.ticker.protocol;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one client text message into a {@link Command}, or a {@link CommandException} carrying the error code, a
 * message a person can act on, and the request id when one could be read (so the error echoes it).
 * Members the contract does not name are ignored, for forward compatibility.
 */
public final class CommandDecoder {
    /** The most symbols one subscribe or unsubscribe may name; more is a {@code BAD_REQUEST}. */
    public static final int MAX_SYMBOLS_PER_COMMAND = 10_000;
    /** The longest string id echoed back; a longer one is cut. */
    private static final int MAX_ID_CHARS = 128;

    private CommandDecoder() {
    }

    /**
     * Decodes one command; never throws anything but {@link CommandException}, whatever the text: the caller is an IO
     * thread, where anything else would escape as an error log and no answer.
     */
    public static Command decode(final String text) {
        try {
            return decodeDocument(text);
        } catch (final CommandException e) {
            throw e;
        } catch (final RuntimeException e) {
            // A parser defect must still end as an answer the client can act on, not an exception on the IO thread.
            throw new CommandException(null, "command could not be read");
        }
    }

    /**
     * The id of a command that will not be acted on (one over the rate limit), as JSON, so that its error can carry
     * it; null when the text has no readable id. Never throws.
     */
    public static String idOf(final String text) {
        try {
            return JsonParser.parse(text) instanceof Map<?, ?> members ? id(members.get("id")) : null;
        } catch (final RuntimeException e) {
            return null;
        }
    }

    private static Command decodeDocument(final String text) {
        final Object document;
        try {
            document = JsonParser.parse(text);
        } catch (final JsonParser.JsonException e) {
            throw new CommandException(null, "not valid JSON: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> members)) {
            throw new CommandException(null, "a command must be a JSON object");
        }
        final String id = id(members.get("id"));
        final Object opValue = members.get("op");
        if (opValue == null) {
            throw new CommandException(id, "missing field 'op'");
        }
        if (!(opValue instanceof String opName)) {
            throw new CommandException(id, "field 'op' must be a string");
        }
        final Command.Op op = Command.Op.fromWireName(opName);
        if (op == null) {
            throw new CommandException(id, "unknown op '" + truncate(opName)
                + "'; expected subscribe, unsubscribe, list or ping");
        }
        final List<String> symbols = switch (op) {
            case SUBSCRIBE, UNSUBSCRIBE -> symbols(members.get("symbols"), id);
            case LIST, PING -> List.of();
        };
        if (op == Command.Op.SUBSCRIBE && members.containsKey("since")) {
            final long since = seqNumber(members.get("since"), "since", id);
            final long epoch = members.containsKey("epoch")
                ? seqNumber(members.get("epoch"), "epoch", id) : Command.NO_EPOCH;
            return new Command(op, symbols, id, since, epoch);
        }
        return new Command(op, symbols, id);
    }

    /**
     * A {@code since} or {@code epoch}: a non-negative integer that fits a signed 64-bit long. Anything else (a
     * negative, a fraction, an exponent that is not a whole number, a string, null, an overflow) is BAD_REQUEST.
     */
    private static long seqNumber(final Object value, final String field, final String id) {
        if (value instanceof BigDecimal number && number.signum() >= 0) {
            try {
                return number.longValueExact();
            } catch (final ArithmeticException e) {
                // a fraction, or more than a long holds: refused below
            }
        }
        throw new CommandException(id, "field '" + field + "' must be a non-negative integer (a seq of the feed"
            + ("since".equals(field) ? ")" : "'s session, from the subscribed ack)"));
    }

    private static List<String> symbols(final Object value, final String id) {
        if (value == null) {
            throw new CommandException(id, "missing field 'symbols'");
        }
        if (!(value instanceof List<?> list)) {
            throw new CommandException(id, "field 'symbols' must be an array of strings");
        }
        if (list.isEmpty()) {
            throw new CommandException(id, "field 'symbols' must not be empty");
        }
        if (list.size() > MAX_SYMBOLS_PER_COMMAND) {
            throw new CommandException(id, "field 'symbols' names more than " + MAX_SYMBOLS_PER_COMMAND);
        }
        final List<String> symbols = new ArrayList<>(list.size());
        for (final Object element : list) {
            if (!(element instanceof String symbol)) {
                throw new CommandException(id, "field 'symbols' must be an array of strings");
            }
            symbols.add(symbol);
        }
        return symbols;
    }

    private static String id(final Object value) {
        if (value == null || value == JsonParser.NULL) {
            return null;
        }
        if (value instanceof String text) {
            final String kept = text.length() > MAX_ID_CHARS ? text.substring(0, cutBefore(text, MAX_ID_CHARS)) : text;
            return EventJson.quote(kept);
        }
        if (value instanceof BigDecimal number) {
            return number.toString();
        }
        // A present but unusable id still gets echoed as null; the command itself may be fine.
        throw new CommandException(null, "field 'id' must be a string or a number");
    }

    private static String truncate(final String text) {
        return text.length() > 40 ? text.substring(0, cutBefore(text, 40)) + "..." : text;
    }

    /** Where to cut {@code text} to at most {@code max} chars without splitting a surrogate pair. */
    private static int cutBefore(final String text, final int max) {
        return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    }

    /** A command the server cannot act on; answered with an {@code error} event, the connection stays open. */
    public static final class CommandException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient String id;
        private final ErrorCode code;

        /** A {@code BAD_REQUEST} with the request id as JSON, or null. */
        public CommandException(final String id, final String message) {
            this(ErrorCode.BAD_REQUEST, id, message);
        }

        /** An error with the given code and the request id as JSON, or null. */
        public CommandException(final ErrorCode code, final String id, final String message) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
        }

        /** The request id, already JSON, or null. */
        public String id() {
            return id;
        }

        /** The error code for the event. */
        public ErrorCode code() {
            return code;
        }
    }
}
