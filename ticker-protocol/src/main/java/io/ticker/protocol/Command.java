package io.ticker.protocol;

import java.util.List;

/**
 * One decoded client command.
 *
 * @param op what the client asks for
 * @param symbols the symbols of a subscribe or unsubscribe, as sent ({@code "*"} means every symbol); empty otherwise
 * @param id the client's request id, already encoded as JSON (a string literal or a number) for echoing, or
 *     {@code null}
 */
public record Command(Op op, List<String> symbols, String id) {
    /** The wildcard symbol: every symbol in the universe, the firehose. */
    public static final String ALL_SYMBOLS = "*";

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
