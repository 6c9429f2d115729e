package io.ticker.server.socket;

import io.undertow.websockets.WebSocketExtension;
import io.undertow.websockets.extensions.ExtensionFunction;
import io.undertow.websockets.extensions.ExtensionHandshake;
import io.undertow.websockets.extensions.PerMessageDeflateFunction;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code permessage-deflate} extension (RFC 7692) as this server negotiates it, with {@code --compression}: one
 * fixed setting for every connection, an offer that asks for something else is declined (the client may have
 * another offer, or connects uncompressed).
 *
 * <ul>
 * <li>The server keeps its compressor's window across messages (context takeover). That is what makes small quote
 * frames compress: each quote repeats the field names and most digits of the quotes before it. So an offer with
 * {@code server_no_context_takeover} is declined.</li>
 * <li>The window is 15 bits, all the JDK's zlib binding offers; an offer with {@code server_max_window_bits} below 15
 * is declined. {@code client_max_window_bits} needs nothing from us (our inflater takes any window) and
 * {@code client_no_context_takeover} is only the client's own business; both are accepted and not echoed.</li>
 * <li>Each connection gets its own compressor and inflater, as Undertow's {@link PerMessageDeflateFunction}; this
 * class rather than Undertow's {@link PerMessageDeflateHandshake} negotiates, because that one writes one client's
 * parameters into fields shared by every later connection.</li>
 * </ul>
 *
 * <p>Cost: zlib's state for a 15-bit window, about 300 KB of native memory per compressed connection, and the
 * compression of every frame on the IO thread.
 */
public final class DeflateExtension implements ExtensionHandshake {
    /** The extension's registered name. */
    public static final String NAME = "permessage-deflate";
    /** Deflate level 1 ({@code Deflater.BEST_SPEED}): see docs/ARCHITECTURE.md, Compression, for why. */
    public static final int LEVEL_DEFAULT = 1;
    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
    private static final String FULL_WINDOW_BITS = "15";

    private final int level;
    private final int maxInflatedBytes;

    /**
     * Compresses at {@code level} (1 fastest to 9 smallest) and inflates at most {@code maxInflatedBytes} per read
     * of a client's message, so a tiny message that inflates to a huge one cannot take the heap.
     */
    public DeflateExtension(final int level, final int maxInflatedBytes) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("deflate level must be 1-9, was " + level);
        }
        this.level = level;
        this.maxInflatedBytes = maxInflatedBytes;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public WebSocketExtension accept(final WebSocketExtension offer) {
        if (offer == null || !NAME.equals(offer.getName())) {
            return null;
        }
        final WebSocketExtension accepted = new WebSocketExtension(NAME);
        final Set<String> seen = new HashSet<>();
        final List<WebSocketExtension.Parameter> parameters =
            offer.getParameters() != null ? offer.getParameters() : List.of();
        for (final WebSocketExtension.Parameter parameter : parameters) {
            final String name = parameter.getName();
            final String value = parameter.getValue();
            if (!seen.add(name)) {
                return null;
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER:
                    return null;
                case SERVER_MAX_WINDOW_BITS:
                    if (!FULL_WINDOW_BITS.equals(unquoted(value))) {
                        return null;
                    }
                    accepted.getParameters().add(new WebSocketExtension.Parameter(name, FULL_WINDOW_BITS));
                    break;
                case CLIENT_MAX_WINDOW_BITS:
                case CLIENT_NO_CONTEXT_TAKEOVER:
                    break;
                default:
                    return null;
            }
        }
        return accepted;
    }

    private static String unquoted(final String value) {
        if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    @Override
    public boolean isIncompatible(final List<ExtensionHandshake> alreadyAccepted) {
        for (final ExtensionHandshake extension : alreadyAccepted) {
            if (NAME.equals(extension.getName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ExtensionFunction create() {
        return new PerMessageDeflateFunction(level, true, true, maxInflatedBytes);
    }
}
