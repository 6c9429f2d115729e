package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shipped reverse-proxy example (docs/nginx.conf) in front of two servers: WebSocket upgrades, quotes and the
 * HTTP routes work through it, and connections are spread over both servers. Needs nginx (Debian's package);
 * skipped where it is absent, except under CI ({@code CI=true}), where its absence is a failure.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NginxProxyIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void shouldServeThroughNginxWithTheWebSocketUpgrade() throws Exception {
        final Path nginx = findNginx();
        final boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (nginx == null && ci) {
            fail("nginx is not installed, and CI must run this test: apt-get install -y nginx");
        }
        Assumptions.assumeTrue(nginx != null, "nginx is not installed (apt-get install -y nginx); skipping the "
            + "reverse-proxy test");

        final Path scratch = Files.createTempDirectory("ticker-nginx");
        try (TickerServer one = start(); TickerServer two = start()) {
            final int proxyPort = freeTcpPort();
            final Path config = scratch.resolve("nginx.conf");
            Files.writeString(config, testConfig(scratch, proxyPort, one.port(), two.port()));
            final Process proxy = new ProcessBuilder(nginx.toString(), "-p", scratch.toString(), "-c",
                config.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(scratch.resolve("nginx.out").toFile()).start();
            try {
                awaitListening(proxyPort, proxy, scratch);
                final HttpResponse<String> health = get(proxyPort, "/health");
                assertEquals(200, health.statusCode());
                assertTrue(health.body().contains("\"UP\""), health.body());
                assertEquals(426, get(proxyPort, "/ws").statusCode(), "a plain GET of /ws still gets 426");

                try (TickerClient first = TickerClient.connect(proxyPort);
                     TickerClient second = TickerClient.connect(proxyPort)) {
                    first.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"a\"}");
                    second.send("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"id\":\"b\"}");
                    first.await(e -> "quote".equals(e.get("type")), Duration.ofSeconds(10));
                    second.await(e -> "quote".equals(e.get("type")), Duration.ofSeconds(10));
                    assertEquals(1, one.connections(), "least_conn put one connection on each server");
                    assertEquals(1, two.connections());
                }
            } finally {
                proxy.destroy();
                if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
                    proxy.destroyForcibly();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static TickerServer start() {
        return TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(200).symbols(20));
    }

    /** docs/nginx.conf with the test's ports, and its pid, logs and temp files in {@code scratch}. */
    private static String testConfig(final Path scratch, final int proxyPort, final int one, final int two)
        throws IOException {
        final Path example = Path.of(System.getProperty("ticker.root", "..")).resolve("docs/nginx.conf");
        final String shipped = Files.readString(example, StandardCharsets.UTF_8);
        final String config = shipped
            .replace("listen 80;", "listen 127.0.0.1:" + proxyPort + ";")
            .replace("server 127.0.0.1:8081 ", "server 127.0.0.1:" + one + " ")
            .replace("server 127.0.0.1:8082 ", "server 127.0.0.1:" + two + " ")
            .replace("http {\n", "http {\n"
                + "    client_body_temp_path " + scratch.resolve("body") + ";\n"
                + "    proxy_temp_path " + scratch.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + scratch.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + scratch.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + scratch.resolve("scgi") + ";\n");
        assertTrue(config.contains("listen 127.0.0.1:" + proxyPort) && config.contains(":" + one + " ")
            && config.contains(":" + two + " "), "docs/nginx.conf still has the lines this test rewrites");
        return "pid " + scratch.resolve("nginx.pid") + ";\nerror_log " + scratch.resolve("error.log") + " warn;\n"
            + config;
    }

    private static Path findNginx() {
        for (final String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            final Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(final int port, final Process proxy, final Path scratch) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                fail("nginx exited with " + proxy.exitValue() + ": " + Files.readString(scratch.resolve("nginx.out"))
                    + readIfThere(scratch.resolve("error.log")));
            }
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (final IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("nginx did not listen on " + port + " within 10 s: " + readIfThere(scratch.resolve("error.log")));
    }

    private static String readIfThere(final Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static HttpResponse<String> get(final int port, final String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
