package io.ticker.protocol;

/** The {@code code} of an {@code error} event. A bad command gets one of these and the connection stays open. */
public enum ErrorCode {
    /** Not JSON, not an object, unknown {@code op}, a missing field or a field of the wrong type. */
    BAD_REQUEST,
    /** A symbol that is not in the universe. */
    UNKNOWN_SYMBOL,
    /** Commands arrive faster than the server allows. */
    RATE_LIMITED,
    /** A subscription would exceed the per-connection limit. */
    SUBSCRIPTION_LIMIT
}
