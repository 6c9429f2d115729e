package io.ticker.loadgen.connect;

import io.ticker.protocol.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The server's HTTP side, read before and after a run (cold path, so the JDK's blocking client): the symbol list
 * ({@code /api/symbols}, busiest first), {@code /health} (published rate, connections) and {@code /metrics}. Every
 * read is optional: a server that lacks a route gives null, and the run says so rather than failing.
 */
public final class ServerProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String httpBase;
    private final HttpClient client;

    /**
     * A probe of the server at {@code httpBase} ({@code http://host:port} or https).
     *
     * @param insecure trust any certificate, as {@code --insecure} does for the WebSockets
     */
    public ServerProbe(final String httpBase, final boolean insecure) {
        this.httpBase = httpBase;
        // HTTP/1.1: the default h2c upgrade attempt makes some servers (Node's http) treat the probe as a WebSocket
        // upgrade and drop it
        final HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT);
        if (insecure) {
            builder.sslContext(trustingEveryone());
        }
        this.client = builder.build();
    }

    private static SSLContext trustingEveryone() {
        final X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(final X509Certificate[] chain, final String authType) {
                // --insecure: the user asked to trust self-signed test servers
            }

            @Override
            public void checkServerTrusted(final X509Certificate[] chain, final String authType) {
                // --insecure: the user asked to trust self-signed test servers
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for --insecure", e);
        }
    }

    /** {@code GET path} as text, or null when unreachable or not 200. */
    public String get(final String path) {
        try {
            final HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(httpBase + path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (final IOException | IllegalArgumentException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The symbol universe, busiest first, or null when the server does not give it. */
    public List<String> symbols() {
        final String body = get("/api/symbols");
        if (body == null) {
            return null;
        }
        try {
            final Object parsed = JsonParser.parse(body);
            if (!(parsed instanceof List<?> list)) {
                return null;
            }
            final List<String> out = new ArrayList<>();
            for (final Object element : list) {
                if (element instanceof String s) {
                    out.add(s);
                } else if (element instanceof Map<?, ?> map && map.get("symbol") instanceof String s) {
                    out.add(s);
                }
            }
            return out;
        } catch (final RuntimeException e) {
            return null;
        }
    }

    /** {@code /health} parsed, or null. */
    public Map<?, ?> health() {
        final String body = get("/health");
        if (body == null) {
            return null;
        }
        try {
            return JsonParser.parse(body) instanceof Map<?, ?> map ? map : null;
        } catch (final RuntimeException e) {
            return null;
        }
    }

    /** {@code /metrics} text, or null. */
    public String metrics() {
        return get("/metrics");
    }
}
