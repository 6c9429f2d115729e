/**
 * The client side of the wire: Netty event loops, one {@code SimulatedClient} per connection (connect, upgrade,
 * subscribe, reconnect), its pipeline, slow readers, and the HTTP probes of the server. Frames go to {@code decode}
 * and {@code measure} on the event loop that read them.
 */
package io.ticker.loadgen.connect;
