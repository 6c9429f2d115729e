package io.ticker.loadgen.connect;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * One server to load: its {@code ws://} or {@code wss://} URL, the address resolved once (so that ten thousand
 * connects do not mean ten thousand lookups), the TLS context for {@code wss://}, and the {@code http(s)://} base of
 * the same server for {@code /api/symbols}, {@code /health} and {@code /metrics}.
 */
public final class Endpoint {
    private final URI uri;
    private final InetSocketAddress address;
    private final SslContext sslContext;
    private final String httpBase;

    private Endpoint(final URI uri, final InetSocketAddress address, final SslContext sslContext,
        final String httpBase) {
        this.uri = uri;
        this.address = address;
        this.sslContext = sslContext;
        this.httpBase = httpBase;
    }

    /**
     * Parses and resolves a WebSocket URL.
     *
     * @param insecure trust any server certificate (self-signed test servers); never the default
     * @throws IllegalArgumentException naming what is wrong with the URL
     */
    public static Endpoint parse(final String url, final boolean insecure) {
        final URI uri;
        try {
            uri = new URI(url.trim());
        } catch (final URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        final boolean tls;
        if ("ws".equals(scheme)) {
            tls = false;
        } else if ("wss".equals(scheme)) {
            tls = true;
        } else {
            throw new IllegalArgumentException("'" + url + "' must start with ws:// or wss://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' has no host");
        }
        final int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        final InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(uri.getHost()), port);
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException("'" + url + "': unknown host " + uri.getHost());
        }
        SslContext ssl = null;
        if (tls) {
            try {
                final SslContextBuilder builder = SslContextBuilder.forClient();
                if (insecure) {
                    builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
                }
                ssl = builder.build();
            } catch (final SSLException e) {
                throw new IllegalArgumentException("'" + url + "': cannot set up TLS: " + e.getMessage());
            }
        }
        final String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[")
            ? "[" + uri.getHost() + "]" : uri.getHost();
        final String httpBase = (tls ? "https://" : "http://") + host + ":" + port;
        return new Endpoint(uri, address, ssl, httpBase);
    }

    /** The WebSocket URL as given. */
    public URI uri() {
        return uri;
    }

    /** The resolved socket address. */
    public InetSocketAddress address() {
        return address;
    }

    /** The TLS context, or null for {@code ws://}. */
    public SslContext sslContext() {
        return sslContext;
    }

    /** {@code http://host:port} (or https) of the same server, for its HTTP routes. */
    public String httpBase() {
        return httpBase;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
