package io.ticker.server.socket;

import io.ticker.server.web.WebSocketKey;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.xnio.StreamConnection;

/**
 * The WebSocket handshake route: Undertow's {@code WebSocketProtocolHandshakeHandler} in what it does (GET only, the
 * first handshake that matches the request answers it, anything else goes to {@code next}), without the two things it
 * keeps for every connection's whole life.
 *
 * <p>Undertow's handler registers a new upgrade listener per request that captures the request's exchange facade, and
 * the HTTP connection object keeps that listener until the socket closes, so every open WebSocket pinned its handshake
 * request: the exchange with its request and response headers, cookies, attachments and strings (about 2 KB per
 * connection, held by each of 19,000 idle connections). Here the upgrade listener is one object per handshake with no
 * per-request state: the exchange reaches it as an argument and is garbage once the channel exists. And Undertow's
 * handler adds every channel to a shared set of peers that this server never reads (it keeps its subscribers per IO
 * thread); here a channel gets an empty one.
 *
 * <p>The handshakes themselves, the channel and its frame reader are Undertow's, unchanged.
 */
public final class WebSocketUpgradeHandler implements HttpHandler {
    /** Peers as Undertow's channel sees them: none, and the channel's own close task removes itself from none. */
    private static final Set<WebSocketChannel> NO_PEERS = Collections.emptySet();

    private final List<Upgrade> upgrades;
    private final HttpHandler next;

    /** A route that upgrades with the first of {@code handshakes} that matches, then hands over to {@code callback}. */
    public WebSocketUpgradeHandler(
        final List<Handshake> handshakes,
        final WebSocketConnectionCallback callback,
        final HttpHandler next) {
        this.upgrades = handshakes.stream().map(handshake -> new Upgrade(handshake, callback)).toList();
        this.next = next;
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals(Methods.GET)
            || !WebSocketKey.isValid(exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_KEY))) {
            // next explains the refusal: 400 for a missing or malformed key
            next.handleRequest(exchange);
            return;
        }
        final AsyncWebSocketHttpServerExchange facade = facade(exchange);
        for (final Upgrade upgrade : upgrades) {
            if (upgrade.handshake.matches(facade)) {
                exchange.upgradeChannel(upgrade);
                upgrade.handshake.handshake(facade);
                return;
            }
        }
        next.handleRequest(exchange);
    }

    private static AsyncWebSocketHttpServerExchange facade(final HttpServerExchange exchange) {
        return new AsyncWebSocketHttpServerExchange(exchange, NO_PEERS);
    }

    /**
     * Makes the channel once the handshake response is written. Shared by every connection it upgrades (the HTTP
     * connection keeps it as its upgrade listener until it closes), so it holds nothing of any one request.
     */
    private static final class Upgrade implements HttpUpgradeListener {
        private final Handshake handshake;
        private final WebSocketConnectionCallback callback;

        Upgrade(final Handshake handshake, final WebSocketConnectionCallback callback) {
            this.handshake = handshake;
            this.callback = callback;
        }

        @Override
        public void handleUpgrade(final StreamConnection connection, final HttpServerExchange exchange) {
            if (!connection.isOpen()) {
                // Reset by the client before or while the 101 was written (Undertow upgrades all the same): a channel
                // and a subscriber for it would only be torn down again, and an upgrade-and-reset flood made
                // thousands of each on the IO threads that deliver quotes. Its connection slot went with the socket.
                return;
            }
            final AsyncWebSocketHttpServerExchange facade = facade(exchange);
            final WebSocketChannel channel = handshake.createChannel(facade, connection, facade.getBufferPool());
            callback.onConnect(facade, channel);
        }
    }
}
