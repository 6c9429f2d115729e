package io.ticker.server.admission;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket: the defence against cross-site WebSocket hijacking, where a page on
 * another site opens a socket to this server with the visitor's network position or cookies. Requests without an
 * {@code Origin} header come from programs, not browsers, and are allowed; browsers always send one.
 */
public final class OriginPolicy {
    /** The flag value that allows every origin. */
    public static final String ANY = "*";

    private final boolean any;
    private final Set<String> allowed;

    private OriginPolicy(final boolean any, final Set<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /** Only pages served by this same host and port (the default). */
    public static OriginPolicy sameHost() {
        return new OriginPolicy(false, Set.of());
    }

    /**
     * The same host plus each listed origin, written as a browser sends it ({@code https://example.com:8443}); a
     * list holding {@code *} allows all.
     */
    public static OriginPolicy of(final Iterable<String> origins) {
        boolean any = false;
        final java.util.Set<String> normalized = new java.util.HashSet<>();
        for (final String origin : origins) {
            final String trimmed = origin.trim();
            if (trimmed.equals(ANY)) {
                any = true;
            } else if (!trimmed.isEmpty()) {
                normalized.add(normalize(trimmed));
            }
        }
        return new OriginPolicy(any, Set.copyOf(normalized));
    }

    /**
     * Whether a request with this {@code Origin} header (null when absent) arriving with this {@code Host} header may
     * upgrade.
     */
    public boolean allows(final String origin, final String host) {
        if (origin == null || any) {
            return true;
        }
        final String normalized = normalize(origin);
        if (allowed.contains(normalized)) {
            return true;
        }
        return host != null && sameHost(normalized, host);
    }

    /** The configured origins, for the startup line; never holds secrets. */
    public String describe() {
        if (any) {
            return "any origin";
        }
        return allowed.isEmpty() ? "same host only"
            : "same host and " + allowed.stream().sorted().collect(Collectors.joining(", "));
    }

    private static boolean sameHost(final String origin, final String hostHeader) {
        try {
            final URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            final int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            final String host = hostHeader.toLowerCase(Locale.ROOT);
            final String originHost = uri.getHost().toLowerCase(Locale.ROOT);
            final String expectedWithPort = (originHost.contains(":") && !originHost.startsWith("[")
                ? "[" + originHost + "]" : originHost) + ":" + port;
            if (host.equals(expectedWithPort)) {
                return true;
            }
            // A Host header without a port means the scheme's default port.
            return host.equals(originHost) && (port == 80 || port == 443);
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalize(final String origin) {
        String value = origin.trim().toLowerCase(Locale.ROOT);
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
