package io.ticker.server;

import io.undertow.Undertow;
import io.undertow.server.OpenListener;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Runs a task on an IO thread each time, before, it takes on a connection that XNIO accepted for it.
 *
 * <p>Why: XNIO's accept thread hands each accepted connection to its IO thread as a task, and an IO thread runs its
 * queued tasks in order. Undertow then does all of a new connection's work in that task when its request has already
 * arrived (the read, the parse, the handlers, the handshake, and for a client that reset at once the failed write and
 * its exceptions). Under a burst of connections, hundreds of such tasks queue, and a fan-out drain queued after them
 * waited for all of them: 2,000 upgrade+reset attempts held a subscriber's quotes back 300-800 ms. Run before each
 * connection, the drain waits for one connection's work at most.
 *
 * <p>Undertow keeps its accepting channels and open listeners to itself; they are read from its listener records,
 * and each channel's accept listener is set again to what Undertow gave it (its open listener behind XNIO's adapter,
 * for plain and TLS listeners alike; no proxy-protocol listener here), with the task in front. Where another
 * Undertow does not have them, nothing is installed and {@link #install} says so.
 */
final class BeforeEachAccept implements ChannelListener<AcceptingChannel<StreamConnection>> {
    private static final MethodHandle CHANNEL = listenerInfoGetter("channel", AcceptingChannel.class);
    private static final MethodHandle OPEN_LISTENER = listenerInfoGetter("openListener", OpenListener.class);

    private final Runnable task;
    private final ChannelListener<AcceptingChannel<StreamConnection>> accept;

    private BeforeEachAccept(final Runnable task, final ChannelListener<AcceptingChannel<StreamConnection>> accept) {
        this.task = task;
        this.accept = accept;
    }

    /**
     * Puts {@code task} in front of every accept of {@code undertow}'s listeners, started and not yet accepting
     * anything that matters (call it right after start). Returns false where it could not, leaving them as they were.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static boolean install(final Undertow undertow, final Runnable task) {
        if (CHANNEL == null || OPEN_LISTENER == null) {
            return false;
        }
        try {
            for (final Undertow.ListenerInfo info : undertow.getListenerInfo()) {
                final AcceptingChannel<?> channel = (AcceptingChannel<?>) CHANNEL.invoke(info);
                final OpenListener open = (OpenListener) OPEN_LISTENER.invoke(info);
                final ChannelListener.Setter setter = channel.getAcceptSetter();
                setter.set(new BeforeEachAccept(task, ChannelListeners.openListenerAdapter(open)));
            }
            return true;
        } catch (final Throwable e) {
            return false;
        }
    }

    @Override
    public void handleEvent(final AcceptingChannel<StreamConnection> channel) {
        task.run();
        accept.handleEvent(channel);
    }

    private static MethodHandle listenerInfoGetter(final String field, final Class<?> type) {
        try {
            final MethodHandles.Lookup lookup =
                MethodHandles.privateLookupIn(Undertow.ListenerInfo.class, MethodHandles.lookup());
            return lookup.findGetter(Undertow.ListenerInfo.class, field, type);
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
