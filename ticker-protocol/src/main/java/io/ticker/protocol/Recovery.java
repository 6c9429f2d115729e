package io.ticker.protocol;

/**
 * What a {@code subscribed} answer says about a resume ({@code subscribe} with {@code since}): its {@code recovered}
 * member, or its absence.
 */
public enum Recovery {
    /** No {@code recovered} member: the subscribe carried no {@code since} (or the server does not know it). */
    NOT_ASKED,
    /** {@code "recovered":true}: every update after {@code since} follows, marked replayed, then live quotes. */
    RECOVERED,
    /** {@code "recovered":false}: snapshots as after a plain subscribe; {@code reason} says why. */
    NOT_RECOVERED
}
