package io.ticker.protocol;

import java.util.List;

/**
 * One decoded client command.
 *
 * @param op what the client asks for
 * @param symbols the symbols of a subscribe or unsubscribe, as sent ({@code "*"} means every symbol); empty otherwise
 * @param id the client's request id, already encoded as JSON (a string literal or a number) for echoing, or
 *     {@code null}
 * @param since for a subscribe that resumes, the highest {@code seq} the client holds: it asks for every update of
 *     the symbols after it; {@link #NO_SINCE} for a plain subscribe
 * @param epoch the feed session {@code since} belongs to; {@link #NO_EPOCH} when the client did not say (the
 *     server's current one)
 */
public record Command(Op op, List<String> symbols, String id, long since, long epoch) {
    /** The wildcard symbol: every symbol in the universe, the firehose. */
    public static final String ALL_SYMBOLS = "*";
    /** {@link #since} of a command that does not resume. */
    public static final long NO_SINCE = -1;
    /** {@link #epoch} of a command that names none. */
    public static final long NO_EPOCH = -1;

    /** A command that does not resume. */
    public Command(final Op op, final List<String> symbols, final String id) {
        this(op, symbols, id, NO_SINCE, NO_EPOCH);
    }

    /** Whether this is a subscribe that resumes from {@link #since}. */
    public boolean resumes() {
        return since != NO_SINCE;
    }

    /** The operations of contract version 1. */
    public enum Op {
        SUBSCRIBE("subscribe"),
        UNSUBSCRIBE("unsubscribe"),
        LIST("list"),
        PING("ping");

        private final String wireName;

        Op(final String wireName) {
            this.wireName = wireName;
        }

        /** The name on the wire, {@code "subscribe"} for example. */
        public String wireName() {
            return wireName;
        }

        static Op fromWireName(final String name) {
            for (final Op op : values()) {
                if (op.wireName.equals(name)) {
                    return op;
                }
            }
            return null;
        }
    }
}
