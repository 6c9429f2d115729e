package io.ticker.server.admission;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser origins may open a WebSocket: the defence against cross-site WebSocket hijacking, where a page on
 * another site opens a socket to this server with the visitor's network position or cookies. Requests without an
 * {@code Origin} header come from programs, not browsers, and are allowed; browsers always send one.
 *
 * <p>"Same host" means, without public hosts, the host the request's {@code Host} header names: a page of a name
 * an attacker controls, re-pointed by DNS at this server (DNS rebinding), sends its own name in both headers and
 * passes. With public hosts (the names clients reach this server by), same host means one of them, and a
 * {@code Host} header naming anything else is refused outright.
 */
public final class OriginPolicy {
    /** The flag value that allows every origin. */
    public static final String ANY = "*";

    private final boolean any;
    private final Set<String> allowed;
    private final List<PublicHost> publicHosts;

    private OriginPolicy(final boolean any, final Set<String> allowed, final List<PublicHost> publicHosts) {
        this.any = any;
        this.allowed = allowed;
        this.publicHosts = publicHosts;
    }

    /** Only pages served by this same host and port (the default). */
    public static OriginPolicy sameHost() {
        return new OriginPolicy(false, Set.of(), List.of());
    }

    /** {@link #of(Iterable, List)} without public hosts: same host is whatever {@code Host} says. */
    public static OriginPolicy of(final Iterable<String> origins) {
        return of(origins, List.of());
    }

    /**
     * The same host plus each listed origin, written as a browser sends it ({@code https://example.com:8443}); a
     * list holding {@code *} allows all. {@code publicHosts} ({@code name} or {@code name:port}, as
     * {@link #validPublicHost(String)} accepts) are the names this server is reached by; empty trusts {@code Host}.
     */
    public static OriginPolicy of(final Iterable<String> origins, final List<String> publicHosts) {
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
        return new OriginPolicy(any, Set.copyOf(normalized),
            publicHosts.stream().map(PublicHost::parse).toList());
    }

    /** Why {@code value} is not a public host ({@code name} or {@code name:port}), or null when it is one. */
    public static String validPublicHost(final String value) {
        try {
            PublicHost.parse(value);
            return null;
        } catch (final IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Whether a request naming {@code host} in its {@code Host} header (null when absent) is for this server: always
     * without public hosts, otherwise only when it names one of them.
     */
    public boolean hostAllowed(final String host) {
        if (publicHosts.isEmpty()) {
            return true;
        }
        if (host == null) {
            return false;
        }
        final HostAndPort named = HostAndPort.parseHeader(host);
        return named != null && publicHosts.stream().anyMatch(p -> p.matches(named.host(), named.port()));
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
        if (!publicHosts.isEmpty()) {
            return isPublicHost(normalized);
        }
        return host != null && sameHost(normalized, host);
    }

    /** The configured origins, for the startup line; never holds secrets. */
    public String describe() {
        if (any) {
            return "any origin";
        }
        final String same = publicHosts.isEmpty() ? "same host"
            : publicHosts.stream().map(PublicHost::toString).collect(Collectors.joining(", "));
        return allowed.isEmpty() ? same + " only"
            : same + " and " + allowed.stream().sorted().collect(Collectors.joining(", "));
    }

    private boolean isPublicHost(final String origin) {
        try {
            final URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false;
            }
            final int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            final String host = unbracketed(uri.getHost().toLowerCase(Locale.ROOT));
            return publicHosts.stream().anyMatch(p -> p.matches(host, port));
        } catch (final IllegalArgumentException e) {
            return false;
        }
    }

    private static String unbracketed(final String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A host and a port (-1 when not given) from a Host header: {@code name}, {@code name:port}, {@code [v6]:port}. */
    private record HostAndPort(String host, int port) {
        static HostAndPort parseHeader(final String value) {
            final String text = value.trim().toLowerCase(Locale.ROOT);
            final int close = text.lastIndexOf(']');
            final int colon = text.lastIndexOf(':');
            final boolean hasPort = colon > close && (close >= 0 || text.indexOf(':') == colon);
            final String host = unbracketed(hasPort ? text.substring(0, colon) : text);
            if (host.isEmpty()) {
                return null;
            }
            if (!hasPort) {
                return new HostAndPort(host, -1);
            }
            try {
                final int port = Integer.parseInt(text.substring(colon + 1));
                return port >= 1 && port <= 65_535 ? new HostAndPort(host, port) : null;
            } catch (final NumberFormatException e) {
                return null;
            }
        }
    }

    /** One name clients reach this server by; without a port, any port of that name. */
    private record PublicHost(String host, int port) {
        static PublicHost parse(final String value) {
            final HostAndPort parsed = value == null ? null : HostAndPort.parseHeader(value);
            if (parsed == null || parsed.host().contains("/") || parsed.host().contains("*")) {
                throw new IllegalArgumentException("must be a host name or address, optionally with :port (e.g. "
                    + "ticker.example.com or ticker.example.com:8443), was '" + value + "'");
            }
            return new PublicHost(parsed.host(), parsed.port());
        }

        /** {@code port} -1 is a Host header without a port: the scheme's default, 80 or 443. */
        boolean matches(final String otherHost, final int otherPort) {
            if (!host.equals(otherHost)) {
                return false;
            }
            return port == -1 || port == otherPort || (otherPort == -1 && (port == 80 || port == 443));
        }

        @Override
        public String toString() {
            final String name = host.contains(":") ? "[" + host + "]" : host;
            return port == -1 ? name : name + ":" + port;
        }
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
