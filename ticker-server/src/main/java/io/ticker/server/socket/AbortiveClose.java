package io.ticker.server.socket;

import io.undertow.server.protocol.framed.AbstractFramedChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * Drops a connection with a TCP reset (SO_LINGER 0) rather than a FIN: for a client that stopped reading, whose
 * socket still holds unsent output. A plain close leaves that socket orphaned in the kernel, holding its send buffer
 * until the peer's zero window gives out, minutes later; a reset frees it at once. The client sees what already sat
 * in its receive buffer (possibly ending mid-frame), then a connection reset.
 *
 * <p>XNIO offers no linger option, so the socket is reached through Undertow's and XNIO's own accessors; under TLS,
 * through the TLS connection's own delegate, the TCP connection it wraps. The TLS close then cannot send its
 * close_notify to a client that does not read, and the reset follows at once: that client loses its close frame as a
 * plain one does. Where the socket is not reachable (another Undertow) the close is a plain one.
 */
final class AbortiveClose {
    private static final MethodHandle UNDERLYING_CONNECTION = underlyingConnectionHandle();
    private static final Class<?> NIO_CONNECTION = nioConnectionClass();
    private static final MethodHandle SOCKET_CHANNEL = socketChannelHandle();
    private static final Class<?> TLS_CONNECTION = classOrVoid("io.undertow.protocols.ssl.UndertowSslConnection");
    private static final MethodHandle TLS_DELEGATE = tlsDelegateHandle();

    private AbortiveClose() {
    }

    /** Closes {@code channel}, with a reset where the socket can be reached. */
    static void close(final WebSocketChannel channel) {
        final SocketChannel socket = socketChannel(tcpConnection(underlyingConnection(channel)));
        if (socket != null) {
            try {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (final IOException | RuntimeException e) {
                // already closed, or not a TCP socket: the plain close below is all there is to do
            }
        }
        IoUtils.safeClose(channel);
    }

    /** The NIO socket channel of a plain TCP {@code connection}; null for any other (TLS, a test's) or none. */
    static SocketChannel socketChannel(final StreamConnection connection) {
        if (connection == null || SOCKET_CHANNEL == null || !NIO_CONNECTION.isInstance(connection)) {
            return null;
        }
        try {
            return (SocketChannel) SOCKET_CHANNEL.invoke(connection);
        } catch (final Throwable e) {
            return null;
        }
    }

    /** The stream connection under {@code channel}; null where Undertow does not let us reach it. */
    static StreamConnection underlyingConnection(final WebSocketChannel channel) {
        if (UNDERLYING_CONNECTION == null) {
            return null;
        }
        try {
            return (StreamConnection) UNDERLYING_CONNECTION.invoke(channel);
        } catch (final Throwable e) {
            return null;
        }
    }

    /** The TCP connection under {@code connection}: itself, or what a TLS connection wraps. */
    private static StreamConnection tcpConnection(final StreamConnection connection) {
        if (connection == null || TLS_DELEGATE == null || !TLS_CONNECTION.isInstance(connection)) {
            return connection;
        }
        try {
            return (StreamConnection) TLS_DELEGATE.invoke(connection);
        } catch (final Throwable e) {
            return null;
        }
    }

    private static MethodHandle tlsDelegateHandle() {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(TLS_CONNECTION, MethodHandles.lookup());
            return lookup.findGetter(TLS_CONNECTION, "delegate", StreamConnection.class);
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Class<?> classOrVoid(final String name) {
        try {
            return Class.forName(name);
        } catch (final ClassNotFoundException | LinkageError e) {
            return Void.class;
        }
    }

    private static MethodHandle underlyingConnectionHandle() {
        try {
            final MethodHandles.Lookup lookup =
                MethodHandles.privateLookupIn(AbstractFramedChannel.class, MethodHandles.lookup());
            return lookup.findVirtual(AbstractFramedChannel.class, "getUnderlyingConnection",
                MethodType.methodType(StreamConnection.class));
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Class<?> nioConnectionClass() {
        return classOrVoid("org.xnio.nio.NioSocketStreamConnection");
    }

    private static MethodHandle socketChannelHandle() {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(NIO_CONNECTION, MethodHandles.lookup());
            return lookup.findVirtual(NIO_CONNECTION, "getChannel", MethodType.methodType(SocketChannel.class));
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
