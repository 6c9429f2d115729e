package io.ticker.protocol;

/** The {@code type} of a server event (PROTOCOL.md, "Server to client"). */
public enum EventType {
    /** A quote, live or snapshot. */
    QUOTE,
    /** The answer to {@code subscribe}. */
    SUBSCRIBED,
    /** The answer to {@code unsubscribe}. */
    UNSUBSCRIBED,
    /** The answer to {@code list}. */
    SYMBOLS,
    /** The answer to {@code ping}. */
    PONG,
    /** The feed restarted under a new epoch: fresh snapshots follow, and seq starts over. */
    RESET,
    /** A failed command. */
    ERROR,
    /** Anything else. */
    UNKNOWN
}
