package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Names and the firehose compose without duplicates: for every order of four commands (subscribe and unsubscribe of
 * a name and of {@code *}), with quotes published between some of them, a client gets each quote of a covered symbol
 * exactly once, a snapshot only when a symbol becomes covered and the book has something newer than what the client
 * holds, nothing of an uncovered symbol, and a strictly increasing seq per symbol across all of it.
 *
 * <p>The test publishes every quote itself, so it knows which quote is the newest of each symbol: the n-th quote of
 * a symbol carries volume n ({@link TestQuotes}). A quote of a sentinel symbol, subscribed by name throughout, ends
 * each step: quotes of one ring batch reach a subscriber in publish order, so once the sentinel's arrives, every
 * event of the step has.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OverlappingSubscriptionsIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SYMBOLS = 6;
    private static final String[] COMMANDS = {"subscribe A", "subscribe *", "unsubscribe A", "unsubscribe *"};
    private static final int STEPS = 4;

    private static TickerServer server;
    private static QuoteSink ingest;
    private static String named;
    private static String other;
    private static String sentinel;
    private static final Map<String, Integer> published = new HashMap<>();
    private static final Quote QUOTE = new Quote();

    @BeforeAll
    static void start() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).symbols(SYMBOLS)
            .embeddedFeed(false));
        ingest = server.ingest();
        named = server.universe().symbol(0);
        other = server.universe().symbol(1);
        sentinel = server.universe().symbol(2);
        // symbol 3 is quoted once before any client, the rest never: snapshots of both kinds and of none
        for (final String symbol : List.of(named, other, sentinel, server.universe().symbol(3))) {
            publish(symbol);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void shouldDeliverEachQuoteOnceInEveryOrderOfNamesAndFirehose() throws Exception {
        int orders = 0;
        final int combinations = (int) Math.pow(COMMANDS.length, STEPS);
        for (int code = 0; code < combinations; code++) {
            final int[] order = new int[STEPS];
            for (int step = 0, rest = code; step < STEPS; step++, rest /= COMMANDS.length) {
                order[step] = rest % COMMANDS.length;
            }
            // quotes between odd steps in one run, between even ones in the other: re-covering with and without news
            runOrder(order, 0);
            runOrder(order, 1);
            orders++;
        }
        assertEquals(256, orders);
    }

    private void runOrder(final int[] order, final int publishParity) throws Exception {
        final Client client = new Client(TickerClient.connect(server.port()));
        try {
            client.command("subscribe", sentinel, "sentinel");
            client.expectStep("subscribe " + sentinel, false);
            for (int step = 0; step < order.length; step++) {
                final String[] command = COMMANDS[order[step]].split(" ");
                final String symbol = "A".equals(command[1]) ? named : "*";
                client.command(command[0], symbol, "s" + step);
                final boolean quotes = step % 2 == publishParity;
                client.expectStep(describe(order, step) + (quotes ? " + quotes" : ""), quotes);
            }
        } finally {
            client.close();
        }
    }

    private static String describe(final int[] order, final int upTo) {
        final StringBuilder text = new StringBuilder();
        for (int step = 0; step <= upTo; step++) {
            text.append(step == 0 ? "" : ", ").append(COMMANDS[order[step]]);
        }
        return text.toString();
    }

    private static void publish(final String symbol) {
        final int n = published.merge(symbol, 1, Integer::sum);
        ingest.onQuote(TestQuotes.fill(QUOTE, server.universe().idOf(symbol), n));
    }

    /** A client and the model of what it should hold: which symbols it covers, which quote of each it has. */
    private static final class Client {
        private final TickerClient socket;
        private final Set<String> names = new HashSet<>();
        private boolean firehose;
        /** The volume, so the publish count, of the newest quote of each symbol received. */
        private final Map<String, Integer> held = new HashMap<>();
        private final Map<String, Long> lastSeq = new HashMap<>();
        private final Set<String> expectedSnapshots = new HashSet<>();
        private String expectedAck;

        Client(final TickerClient socket) {
            this.socket = socket;
        }

        private boolean covers(final String symbol) {
            return firehose || names.contains(symbol);
        }

        void command(final String op, final String symbol, final String id) {
            final Set<String> before = new HashSet<>();
            for (final String s : server.universe().symbols()) {
                if (covers(s)) {
                    before.add(s);
                }
            }
            final boolean subscribe = "subscribe".equals(op);
            if ("*".equals(symbol)) {
                firehose = subscribe;
            } else if (subscribe) {
                names.add(symbol);
            } else {
                names.remove(symbol);
            }
            expectedSnapshots.clear();
            for (final String s : server.universe().symbols()) {
                final int newest = published.getOrDefault(s, 0);
                if (covers(s) && !before.contains(s) && newest > held.getOrDefault(s, 0)) {
                    expectedSnapshots.add(s);
                }
            }
            expectedAck = subscribe ? "subscribed" : "unsubscribed";
            socket.send("{\"op\":\"" + op + "\",\"symbols\":[\"" + symbol + "\"],\"id\":\"" + id + "\"}");
        }

        /**
         * Reads the ack and the snapshots of a step, then (once the command has surely been acted on) publishes the
         * step's quotes and the sentinel's, and reads up to the sentinel's quote, checking each event.
         */
        void expectStep(final String step, final boolean quotes) throws InterruptedException {
            final Map<String, Object> ack = socket.next(WAIT);
            assertEquals(expectedAck, ack.get("type"), step + ": " + ack);
            final Set<String> snapshots = new HashSet<>();
            final List<String> live = new ArrayList<>();
            // what the book held when the command was acted on: the snapshots' quotes
            final Map<String, Integer> atAck = new HashMap<>(published);
            if (quotes) {
                publish(named);
                publish(other);
            }
            publish(sentinel);
            while (true) {
                final Map<String, Object> quote = socket.next(WAIT);
                assertEquals("quote", quote.get("type"), step + ": " + quote);
                final String symbol = (String) quote.get("symbol");
                final int volume = ((Number) quote.get("volume")).intValue();
                final long seq = ((Number) quote.get("seq")).longValue();
                final Long previous = lastSeq.put(symbol, seq);
                assertTrue(previous == null || seq > previous,
                    step + ": seq of " + symbol + " went from " + previous + " to " + seq);
                assertTrue(covers(symbol), step + ": a quote of uncovered " + symbol);
                final boolean snapshot = Boolean.TRUE.equals(quote.get("snapshot"));
                assertEquals((snapshot ? atAck : published).get(symbol).intValue(), volume,
                    step + ": not the newest quote of " + symbol);
                held.put(symbol, volume);
                if (snapshot) {
                    assertTrue(live.isEmpty(), step + ": snapshot " + symbol + " after live quotes");
                    assertTrue(snapshots.add(symbol), step + ": two snapshots of " + symbol);
                } else {
                    live.add(symbol);
                    if (symbol.equals(sentinel)) {
                        break;
                    }
                }
            }
            assertEquals(expectedSnapshots, snapshots, step + ": snapshots");
            final List<String> expectedLive = new ArrayList<>();
            if (quotes) {
                for (final String symbol : List.of(named, other)) {
                    if (covers(symbol)) {
                        expectedLive.add(symbol);
                    }
                }
            }
            expectedLive.add(sentinel);
            assertEquals(expectedLive, live, step + ": live quotes, each once");
        }

        void close() {
            socket.close();
        }
    }
}
