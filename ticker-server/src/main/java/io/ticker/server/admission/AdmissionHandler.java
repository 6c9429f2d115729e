package io.ticker.server.admission;

import io.ticker.server.web.PlainText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import java.net.InetAddress;
import java.util.Deque;
import java.util.function.BooleanSupplier;

/**
 * Decides, before the {@code 101}, whether a WebSocket upgrade may proceed: 400 for HTTP/1.0, 503 while draining
 * or while queued output is over its budget, 403 for a {@code Host} that is not a public host or a disallowed
 * Origin, 429 from an address that has spent its failed token checks, 401 without a valid token, 503 or 429 past
 * the connection caps. A refused request never opens a WebSocket. Requests that are not upgrades pass through to the
 * next handler, which explains 426.
 */
public final class AdmissionHandler implements HttpHandler {
    private static final HttpString RETRY_AFTER = new HttpString("Retry-After");

    private final OriginPolicy origins;
    private final TokenAuthenticator tokens;
    private final AuthFailureLimiter authFailures;
    private final ConnectionLimiter limiter;
    private final BooleanSupplier draining;
    private final BooleanSupplier overQueuedBudget;
    private final HttpHandler next;

    /**
     * @param tokens null when no tokens are configured: no authentication
     */
    public AdmissionHandler(
        final OriginPolicy origins,
        final TokenAuthenticator tokens,
        final AuthFailureLimiter authFailures,
        final ConnectionLimiter limiter,
        final BooleanSupplier draining,
        final BooleanSupplier overQueuedBudget,
        final HttpHandler next) {
        this.origins = origins;
        this.tokens = tokens;
        this.authFailures = authFailures;
        this.limiter = limiter;
        this.draining = draining;
        this.overQueuedBudget = overQueuedBudget;
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        final String upgrade = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            next.handleRequest(exchange);
            return;
        }
        if (!Protocols.HTTP_1_1.equals(exchange.getProtocol())) {
            PlainText.send(exchange, 400, "A WebSocket upgrade needs HTTP/1.1.");
            return;
        }
        if (draining.getAsBoolean()) {
            exchange.getResponseHeaders().put(RETRY_AFTER, "5");
            PlainText.send(exchange, 503, "The server is shutting down; connect to another one or retry shortly.");
            return;
        }
        if (overQueuedBudget.getAsBoolean()) {
            exchange.getResponseHeaders().put(RETRY_AFTER, "5");
            PlainText.send(exchange, 503, "The server is short of memory for output; retry shortly.");
            return;
        }
        final String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        if (!origins.hostAllowed(host)) {
            PlainText.send(exchange, 403, "Host not served here.");
            return;
        }
        if (!origins.allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN), host)) {
            PlainText.send(exchange, 403, "Origin not allowed.");
            return;
        }
        final InetAddress address = exchange.getSourceAddress().getAddress();
        if (tokens != null && !authenticated(exchange, address)) {
            return;
        }
        final ConnectionLimiter.Verdict verdict = limiter.tryAcquire(address, System.nanoTime());
        switch (verdict) {
            case ADMITTED -> admit(exchange, address);
            case SERVER_FULL -> {
                exchange.getResponseHeaders().put(RETRY_AFTER, "5");
                PlainText.send(exchange, 503, "The server is at its connection limit; retry later.");
            }
            case TOO_MANY_FROM_ADDRESS -> {
                exchange.getResponseHeaders().put(RETRY_AFTER, "5");
                PlainText.send(exchange, 503, "Too many connections from your address.");
            }
            case CONNECTING_TOO_FAST -> {
                exchange.getResponseHeaders().put(RETRY_AFTER, "1");
                PlainText.send(exchange, 429, "Connecting too fast from your address; slow down.");
            }
            default -> throw new IllegalStateException("unhandled verdict " + verdict);
        }
    }

    /**
     * Checks the token, unless the address has spent its failures: it gets 429 then, before the connect rate is
     * consulted, so guessing tokens costs the guesser time whatever else it is allowed. Answers the refusal itself.
     */
    private boolean authenticated(final HttpServerExchange exchange, final InetAddress address) {
        final long nowNanos = System.nanoTime();
        if (authFailures.throttles(address, nowNanos)) {
            exchange.getResponseHeaders().put(RETRY_AFTER, "1");
            PlainText.send(exchange, 429, "Too many failed token checks from your address; slow down.");
            return false;
        }
        if (!tokens.accepts(token(exchange))) {
            authFailures.failed(address, nowNanos);
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"ticker\"");
            PlainText.send(exchange, 401, "A valid token is required: ?token= or Authorization: Bearer.");
            return false;
        }
        return true;
    }

    private void admit(final HttpServerExchange exchange, final InetAddress address) throws Exception {
        final ConnectionSlot slot = ConnectionSlot.of(exchange.getConnection(), limiter, address);
        slot.take();
        exchange.putAttachment(ConnectionSlot.KEY, slot);
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            // An upgrade that did not switch protocols (bad key, wrong version) keeps its socket for HTTP only.
            if (done.getStatusCode() != 101) {
                slot.release();
            }
            nextListener.proceed();
        });
        if (!exchange.getConnection().isOpen()) {
            // reset before we got here: the close listener has already run and will not run again
            slot.release();
        }
        next.handleRequest(exchange);
    }

    private static String token(final HttpServerExchange exchange) {
        final String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        final Deque<String> query = exchange.getQueryParameters().get("token");
        return query == null ? null : query.peekFirst();
    }
}
