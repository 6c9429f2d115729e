package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.server.tls.ServerTls;
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
