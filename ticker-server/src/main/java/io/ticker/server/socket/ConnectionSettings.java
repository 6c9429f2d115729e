package io.ticker.server.socket;

/**
 * The settings each client connection is built with. The server's configuration implements it; the socket package
 * names what it reads here so that it does not depend on the package that assembles the server.
 */
public interface ConnectionSettings {
    /** Symbols one connection may be subscribed to at once. */
    int maxSubscriptionsPerConnection();

    /** Largest inbound message, in bytes; larger is closed with 1009. */
    int maxMessageSizeBytes();

    /** Commands per second one connection may send (token bucket refill); 0 is no limit. */
    double commandRatePerSecond();

    /** Commands one connection may send in a burst (token bucket size). */
    double commandBurst();

    /** Frames (fragments) one inbound message may arrive in; more is closed with 1009. */
    int maxFragmentsPerMessage();

    /** Frames of any kind one connection may send per second (token bucket refill); 0 is no limit. */
    double inboundFrameRatePerSecond();

    /** Frames of any kind one connection may send in a burst (token bucket size). */
    double inboundFrameBurst();

    /** Whether quote frames may be written straight to the socket rather than through Undertow's send path. */
    boolean directWrites();
}
