package io.ticker.server.admission;

import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.net.InetAddress;

/**
 * The one account of a TCP connection's place under the caps of {@link ConnectionLimiter}: taken when an upgrade on
 * it is admitted, given back exactly once, whichever way the connection ends. The release is tied to the socket
 * itself (the HTTP connection's close, which fires on the underlying stream connection whether or not it was
 * upgraded), not to the WebSocket channel: a client that resets while the 101 is being written, or before the channel
 * exists, closes a socket no channel ever hears about, and a slot tied to the channel stayed taken forever.
 *
 * <p>One per HTTP connection, kept as its attachment; a keep-alive connection whose upgrades are refused after
 * admission (a bad version) takes and gives back the same slot, and registers one close listener in all.
 */
public final class ConnectionSlot {
    /** The slot of the connection an exchange arrived on, for the endpoint that takes the upgraded channel. */
    public static final AttachmentKey<ConnectionSlot> KEY = AttachmentKey.create(ConnectionSlot.class);

    private final ConnectionLimiter limiter;
    private final InetAddress address;
    private boolean taken;
    private Runnable onRelease;

    private ConnectionSlot(final ConnectionLimiter limiter, final InetAddress address) {
        this.limiter = limiter;
        this.address = address;
    }

    /**
     * The slot of {@code connection}, made on first use with a close listener that gives it back. The caller has just
     * been granted a place by {@code limiter} and must {@link #take()} it.
     */
    static ConnectionSlot of(
        final ServerConnection connection, final ConnectionLimiter limiter, final InetAddress address) {
        ConnectionSlot slot = connection.getAttachment(KEY);
        if (slot == null) {
            slot = new ConnectionSlot(limiter, address);
            connection.putAttachment(KEY, slot);
            final ConnectionSlot listening = slot;
            connection.addCloseListener(closed -> listening.release());
        }
        return slot;
    }

    /** Holds the place the limiter granted. */
    synchronized void take() {
        taken = true;
    }

    /**
     * Runs {@code task} when the slot is given back (the connection's subscriber leaves the count then), at once if
     * it already was: the socket closed before the endpoint saw the channel.
     */
    public void whenReleased(final Runnable task) {
        final boolean runNow;
        synchronized (this) {
            runNow = !taken;
            if (!runNow) {
                onRelease = task;
            }
        }
        if (runNow) {
            task.run();
        }
    }

    /** Gives the place back, then runs the release task; later calls do nothing until the slot is taken again. */
    public void release() {
        final Runnable task;
        synchronized (this) {
            if (!taken) {
                return;
            }
            taken = false;
            task = onRelease;
            onRelease = null;
        }
        // The limiter first: whoever sees the connection count fall (/metrics, a client waiting for room) must find
        // the slot free too.
        limiter.release(address);
        if (task != null) {
            task.run();
        }
    }
}
