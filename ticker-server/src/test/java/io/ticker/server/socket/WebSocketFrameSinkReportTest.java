package io.ticker.server.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.fanout.FanoutShard;
import io.ticker.server.fanout.OneShardFeed;
import io.ticker.server.fanout.Subscriber;
import io.undertow.websockets.core.WebSocketCallback;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Undertow's send path reports completions through a listener that may run twice for one frame. By the second run
 * the subscriber has handed over its next frame: taken as the end of that frame, the report let the subscriber send
 * beside it and then build a frame in the buffer Undertow was still writing from (with {@code --write-path undertow}
 * or compression). Each subscriber must get exactly the bytes it handed over, one frame at a time.
 */
class WebSocketFrameSinkReportTest {
    private final OneShardFeed feed = new OneShardFeed(5, 42);
    private final SymbolUniverse universe = feed.universe();
    private final FanoutShard shard = feed.shard();

    @Test
    void shouldPassOnOnlyTheFirstReportOfAFrame() {
        final UndertowStandIn undertow = new UndertowStandIn();
        final Subscriber slow = new Subscriber(new WebSocketFrameSink(null, undertow), shard, universe, 100);
        slow.subscribe("a", List.of(universe.symbols().get(0)));
        assertEquals(1, undertow.sends.size(), "the ack, in flight");
        feed.publish(0);
        undertow.report(0);
        assertEquals(2, undertow.sends.size(), "the quote that waited behind the ack, in flight");

        // Undertow's flushing listener runs once more for the ack
        undertow.report(0);

        // quotes keep coming: they must wait behind the frame in flight, not go out beside it, and not be built in
        // the buffer Undertow still writes from
        feed.publish(0);
        feed.publish(0);
        assertEquals(2, undertow.sends.size(), "nothing handed over while the quote frame is in flight");
        assertEquals(undertow.sends.get(1).handedOver, undertow.sends.get(1).writtenNow(),
            "the frame in flight is written as it was handed over");
        undertow.report(1);
        assertEquals(3, undertow.sends.size(), "the waiting quotes went out once the frame in flight was done");
        final String waited = undertow.sends.get(2).handedOver;
        assertEquals(1, waited.split("\"type\":\"quote\"", -1).length - 1, "the two waiting quotes, conflated: "
            + waited);
        assertTrue(waited.contains("\"conflated\":1"), "the latest, counting the one it replaced: " + waited);
    }

    /** Undertow's send API as seen from the sink: it keeps each frame and reports it when the test says. */
    private static final class UndertowStandIn implements WebSocketFrameSink.DataFrameSender {
        final List<Send> sends = new ArrayList<>();

        @Override
        public void send(final boolean binary, final ByteBuffer frame, final WebSocketCallback<Object> callback,
            final Object token) {
            sends.add(new Send(frame, callback, token));
        }

        void report(final int send) {
            final Send sent = sends.get(send);
            sent.callback.complete(null, sent.token);
        }
    }

    private static final class Send {
        final ByteBuffer frame;
        final String handedOver;
        final WebSocketCallback<Object> callback;
        final Object token;

        Send(final ByteBuffer frame, final WebSocketCallback<Object> callback, final Object token) {
            this.frame = frame;
            this.handedOver = StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
            this.callback = callback;
            this.token = token;
        }

        /** What a write of the frame would send now. */
        String writtenNow() {
            return StandardCharsets.UTF_8.decode(frame.duplicate()).toString();
        }
    }
}
