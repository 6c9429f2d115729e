package io.ticker.server.web;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Dev harness: the node-ws comparison peer (same wire contract) as the ticker, and the page from the classpath on
 * a second port, opened with {@code ?ws=} pointing at the peer. Needs {@code node} and the peer's
 * {@code npm ci} done beside its {@code server.js}.
 */
final class NodePeerPageServer implements PageServer {
    private static final Map<String, String> CONTENT_TYPES = Map.of(
        "html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8",
        "css", "text/css; charset=utf-8",
        "svg", "image/svg+xml");
    private static final long START_TIMEOUT_MS = 10_000;

    private final Path script;
    private final HttpServer pageHost;
    private Process peer;
    private int port;

    NodePeerPageServer(final Path script) {
        this.script = script;
        try {
            pageHost = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pageHost.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String name = path.equals("/") ? "index.html" : path.substring(1);
            byte[] body = name.contains("..") ? null : BrowserPageIT.pageResource(name);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                String ext = name.substring(name.lastIndexOf('.') + 1);
                exchange.getResponseHeaders().set("Content-Type",
                    CONTENT_TYPES.getOrDefault(ext, "application/octet-stream"));
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        pageHost.start();
    }

    @Override
    public void start(final int requestedPort) throws IOException {
        port = requestedPort != 0 ? requestedPort : freePort();
        peer = new ProcessBuilder("node", script.toString(), "--port", String.valueOf(port), "--host", "127.0.0.1",
            "--symbols", "500", "--rate", "2000")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        // HTTP/1.1: an h2c upgrade offer would be taken for a WebSocket upgrade by the peer and dropped
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create(apiUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding());
                if (res.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("node-ws peer did not answer /health on port " + port);
    }

    @Override
    public void stop() {
        if (peer != null) {
            peer.destroy(); // SIGTERM: the peer closes its clients with 1001
            try {
                if (!peer.waitFor(5, TimeUnit.SECONDS)) {
                    peer.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            peer = null;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String pageUrl() {
        return "http://127.0.0.1:" + pageHost.getAddress().getPort() + "/?ws=" + wsUrl(port);
    }

    @Override
    public String apiUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public String wsUrl(final int wsPort) {
        return "ws://127.0.0.1:" + wsPort + "/ws";
    }

    @Override
    public void close() {
        stop();
        pageHost.stop(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
