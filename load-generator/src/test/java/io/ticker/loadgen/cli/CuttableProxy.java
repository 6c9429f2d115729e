package io.ticker.loadgen.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback in front of a server, that a test can cut: every connection through it is reset and
 * no new one is accepted, as when a network path or a server goes away, while the server itself stays up. Two
 * threads per connection (one per direction); for a few dozen connections in a test.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    CuttableProxy(final int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections forwarded now (two sockets each). */
    int connections() {
        return sockets.size() / 2;
    }

    /** Resets every forwarded connection and refuses new ones from now on. */
    void cut() {
        cut = true;
        try {
            listener.close();
        } catch (final IOException e) {
            // closing is all that is wanted
        }
        for (final Socket socket : sockets) {
            try {
                // RST rather than FIN: the client sees the path vanish, not a polite close
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (final IOException e) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        cut();
    }

    private void accept() {
        while (!cut) {
            try {
                final Socket client = listener.accept();
                final Socket server = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (final IOException e) {
                return;
            }
        }
    }

    private void pump(final Socket from, final Socket to) {
        final Thread thread = new Thread(() -> {
            final byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                }
            } catch (final IOException e) {
                // one side went away: the other follows below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException e) {
            // already closed
        }
    }
}
