package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.server.tls.ServerTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTPS and wss:// on the one port, TLS 1.2+ only. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsIT {
    private static TickerServer server;
    private static SSLContext trustAll;

    @BeforeAll
    static void start() throws Exception {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(1000).symbols(20)
            .tls(ServerTls.selfSigned()));
        trustAll = SSLContext.getInstance("TLS");
        // The certificate is self-signed on purpose; this client trusts it explicitly, as --insecure would.
        trustAll.init(null, new TrustManager[] {new TrustEverything()}, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldResetANonReaderOverTlsSoItsSocketHoldsNoKernelMemoryAfterTheClose() throws Exception {
        try (TickerServer tls = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(200)
            .symbols(2000).pingIntervalMs(60_000).maxQueuedBytesPerConnection(256 * 1024)
            .tls(ServerTls.selfSigned()))) {
            final ResourceBaseline baseline = ResourceBaseline.of(tls);
            final SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", tls.port()), 5_000);
            try (RawWebSocket flooder = RawWebSocket.handshake(socket,
                RawWebSocket.upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ=="))) {
                assertEquals(101, flooder.status);
                for (int i = 0; i < 40; i++) {
                    flooder.sendText("{\"op\":\"list\"}");
                }
                SlowConsumerIT.waitUntil(() -> tls.queueLimitClosed() == 1, Duration.ofSeconds(15));
                // The client keeps its socket and never reads: a plain close (even after close_notify) leaves the
                // server's end orphaned with its unsent output; the reset under TLS leaves nothing on the port.
                QueueLimitsIT.awaitNoServerSockets(tls.port());
                assertEquals(0, tls.connections());
            }
            baseline.assertRestored(Duration.ofSeconds(15));
        }
    }

    @Test
    void shouldRefuseAClientInitiatedRenegotiation() throws Exception {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) trustAll.getSocketFactory()
            .createSocket("127.0.0.1", server.port())) {
            // renegotiation exists only up to TLS 1.2
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertTrue(new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII)
                .contains("200"), "the first handshake serves requests");
            // refused: a handshake_failure alert; accepted, the second request would be answered and the read would
            // only time out (not an SSLException)
            assertThrows(javax.net.ssl.SSLException.class, () -> {
                socket.startHandshake();
                // the refusal arrives as an alert on the next read
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                while (socket.getInputStream().read() != -1) {
                    // drain the rest of the first answer, then the alert
                }
            });
        }
    }

    @Test
    void shouldServeHealthOverHttpsAndQuotesOverWss() throws Exception {
        final HttpClient client = HttpClient.newBuilder().sslContext(trustAll).build();
        final HttpResponse<String> health = client.send(HttpRequest.newBuilder(
            URI.create("https://localhost:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());

        final CompletableFuture<String> firstQuote = new CompletableFuture<>();
        final WebSocket ws = client.newWebSocketBuilder().buildAsync(
            URI.create("wss://localhost:" + server.port() + "/ws"), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(final WebSocket socket, final CharSequence data, final boolean last) {
                    if (data.toString().contains("\"type\":\"quote\"")) {
                        firstQuote.complete(data.toString());
                    }
                    socket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}", true);
        assertTrue(firstQuote.get(10, TimeUnit.SECONDS).startsWith("[{"));
        ws.abort();
    }

    @Test
    void shouldRefuseTls11() throws Exception {
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            final SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {"TLSv1.1"});
            socket.setSSLParameters(parameters);
            socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            assertThrows(Exception.class, socket::startHandshake);
        }
    }

    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(final X509Certificate[] chain, final String authType) {
        }

        @Override
        public void checkServerTrusted(final X509Certificate[] chain, final String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
