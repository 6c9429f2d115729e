package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resume by seq over real sockets (docs/PROTOCOL.md, "Resuming"): a client away for a second that subscribes again
 * with {@code since} gets exactly what an always-connected observer got, none twice, nothing out of order; a history
 * too short for the absence, another epoch, a since from the future fall back to snapshots and say why; malformed
 * since values are BAD_REQUEST; the connection works on after each.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration AWAY = Duration.ofSeconds(1);
    private static TickerServer server;

    @BeforeAll
    static void start() {
        server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0).ratePerSecond(2000).symbols(50));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldGiveAClientBackFromASecondAwayEveryQuoteAnObserverSawOnceAndInOrder() throws Exception {
        final String symbols = "\"" + server.universe().symbol(0) + "\",\"" + server.universe().symbol(1) + "\",\""
            + server.universe().symbol(7) + "\"";
        final long replayedBefore = server.quotesReplayed();
        assertResumeMatchesObserver(server.port(), server.port(), symbols, Set.of(server.universe().symbol(0),
            server.universe().symbol(1), server.universe().symbol(7)));
        assertTrue(server.quotesReplayed() > replayedBefore, "ticker_quotes_replayed_total counts them");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldResumeTheFirehose() throws Exception {
        assertResumeMatchesObserver(server.port(), server.port(), "\"*\"", null);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldFallBackToSnapshotsWhenTheHistoryNoLongerReachesSince() throws Exception {
        try (TickerServer small = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .ratePerSecond(2000).symbols(20).historyUpdates(16))) {
            final String symbol = small.universe().symbol(0);
            final long epoch;
            final long since;
            try (TickerClient first = TickerClient.connect(small.port())) {
                first.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"]}");
                epoch = epochOf(first.next(WAIT));
                since = seq(first.await(ResumeIT::isLiveQuote, WAIT));
            }
            Thread.sleep(AWAY.toMillis()); // 2,000 updates: far past a history of 16
            try (TickerClient again = TickerClient.connect(small.port())) {
                again.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"since\":" + since
                    + ",\"epoch\":" + epoch + ",\"id\":\"late\"}");
                final Map<String, Object> ack = again.next(WAIT);
                assertEquals(false, ack.get("recovered"), ack.toString());
                assertEquals("too-old", ack.get("reason"));
                final Map<String, Object> snapshot = again.next(WAIT);
                assertEquals(true, snapshot.get("snapshot"), "snapshots as after a plain subscribe: " + snapshot);
                assertNull(snapshot.get("replayed"));
                assertTrue(seq(snapshot) > since);
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void shouldRefuseMalformedSinceAndFallBackForAnotherEpochOrAFutureSeqAndKeepWorking() throws Exception {
        final String symbol = server.universe().symbol(2);
        try (TickerClient client = TickerClient.connect(server.port())) {
            for (final String bad : List.of("-1", "1.5", "\"12\"", "null", "1e40", "99999999999999999999")) {
                client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"since\":" + bad
                    + ",\"id\":\"bad\"}");
                final Map<String, Object> error = client.next(WAIT);
                assertEquals("error", error.get("type"), bad + ": " + error);
                assertEquals("BAD_REQUEST", error.get("code"));
                assertEquals("bad", error.get("id"));
            }
            client.send("{\"op\":\"ping\",\"id\":\"p\"}");
            assertEquals("pong", client.next(WAIT).get("type"), "nothing was subscribed, the connection works");

            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"id\":\"plain\"}");
            final Map<String, Object> plain = client.next(WAIT);
            final long epoch = epochOf(plain);
            assertFalse(plain.containsKey("recovered"), "a subscribe without since says nothing of recovery");
            final long live = seq(client.await(ResumeIT::isLiveQuote, WAIT));
            client.send("{\"op\":\"unsubscribe\",\"symbols\":[\"" + symbol + "\"]}");
            client.await(e -> "unsubscribed".equals(e.get("type")), WAIT);

            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"since\":" + live + ",\"epoch\":"
                + (epoch + 1) + ",\"id\":\"other-epoch\"}");
            Map<String, Object> ack = client.await(e -> "subscribed".equals(e.get("type")), WAIT);
            assertEquals(false, ack.get("recovered"), ack.toString());
            assertEquals("epoch", ack.get("reason"));
            client.send("{\"op\":\"unsubscribe\",\"symbols\":[\"" + symbol + "\"]}");
            client.await(e -> "unsubscribed".equals(e.get("type")), WAIT);

            client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"since\":" + (live + 1_000_000_000L)
                + ",\"id\":\"future\"}");
            ack = client.await(e -> "subscribed".equals(e.get("type")), WAIT);
            assertEquals(false, ack.get("recovered"), ack.toString());
            assertEquals("future", ack.get("reason"));

            client.send("{\"op\":\"ping\",\"id\":\"p2\"}");
            client.await(e -> "pong".equals(e.get("type")), WAIT);
            assertTrue(seq(client.await(ResumeIT::isLiveQuote, WAIT)) > live, "and quotes keep coming");
        }
    }

    /**
     * An observer stays on {@code observerPort} throughout; a client subscribes on {@code firstPort}, leaves for
     * {@link #AWAY}, and resumes on {@code resumePort} with the highest seq it had. Over the seqs both could have
     * seen, the client must hold exactly the observer's quotes of {@code wanted} (null: every symbol), each once, in
     * seq order per symbol, and everything after its since must be replayed until the live stream takes over.
     */
    static void assertResumeMatchesObserver(
        final int firstPort, final int resumePort, final String symbolsJson, final Set<String> wanted)
        throws Exception {
        assertResumeMatchesObserver(firstPort, resumePort, firstPort, symbolsJson, wanted);
    }

    static void assertResumeMatchesObserver(
        final int firstPort, final int resumePort, final int observerPort, final String symbolsJson,
        final Set<String> wanted) throws Exception {
        final String subscribe = "{\"op\":\"subscribe\",\"symbols\":[" + symbolsJson + "]";
        try (TickerClient observer = TickerClient.connect(observerPort)) {
            observer.send(subscribe + ",\"id\":\"observer\"}");
            observer.next(WAIT);
            final Ledger client = new Ledger();
            long epoch;
            try (TickerClient first = TickerClient.connect(firstPort)) {
                first.send(subscribe + ",\"id\":\"first\"}");
                epoch = epochOf(first.next(WAIT));
                client.read(first.collect(Duration.ofMillis(700)), false);
            }
            assertTrue(client.quotes.size() > 20, "quotes before leaving: " + client.quotes.size());
            final long since = client.highestSeq;
            Thread.sleep(AWAY.toMillis());
            final List<Map<String, Object>> resumed;
            try (TickerClient again = TickerClient.connect(resumePort)) {
                again.send(subscribe + ",\"since\":" + since + ",\"epoch\":" + epoch + ",\"id\":\"again\"}");
                final Map<String, Object> ack = again.next(WAIT);
                assertEquals("subscribed", ack.get("type"), ack.toString());
                assertEquals(true, ack.get("recovered"), "recovered: " + ack);
                assertEquals(epoch, epochOf(ack));
                resumed = again.collect(Duration.ofMillis(700));
            }
            final List<Map<String, Object>> observed = observer.drain();
            observed.addAll(observer.collect(Duration.ofMillis(300)));

            // the resumed stream: replayed quotes, in seq order, then live ones, none of them a snapshot
            long previous = since;
            boolean live = false;
            int replayed = 0;
            for (final Map<String, Object> event : resumed) {
                if (!"quote".equals(event.get("type"))) {
                    continue;
                }
                // messages built only on failure: thousands of events go through here
                if (event.get("snapshot") != null) {
                    fail("no snapshot after recovered:true: " + event);
                }
                final boolean isReplayed = Boolean.TRUE.equals(event.get("replayed"));
                if (isReplayed) {
                    if (live) {
                        fail("a replayed quote after a live one: " + event);
                    }
                    replayed++;
                } else {
                    live = true;
                }
                // across symbols, seq order holds for what is not conflated (conflation goes per symbol); per
                // symbol it always holds, which the ledger checks
                if (seq(event) <= since || (event.get("conflated") == null && seq(event) <= previous)) {
                    fail("seq order across the resume: " + seq(event) + " after " + previous + ", since " + since);
                }
                if (event.get("conflated") == null) {
                    previous = seq(event);
                }
            }
            assertTrue(replayed > 0, "a second away on a busy feed leaves something to replay");
            assertTrue(live, "and the live stream follows");
            client.read(resumed, true);
            final Ledger seen = new Ledger();
            seen.read(observed, false);

            // compare over the seqs both sides cover: from the client's first live quote to the last it got; what
            // the client lacks must be counted in the conflated of its next quote of that symbol (not lost)
            final long from = client.firstLiveSeq;
            final long to = Math.min(client.highestSeq, seen.highestSeq);
            int compared = 0;
            for (final Map.Entry<String, TreeSet<Long>> bySymbol : seen.seqsBySymbol.entrySet()) {
                final String symbol = bySymbol.getKey();
                if (wanted != null && !wanted.contains(symbol)) {
                    continue;
                }
                final TreeSet<Long> held = client.seqsBySymbol.getOrDefault(symbol, new TreeSet<>());
                long missing = 0;
                for (final long seq : bySymbol.getValue().subSet(from, true, to, true)) {
                    compared++;
                    if (!held.contains(seq)) {
                        missing++;
                        continue;
                    }
                    final long conflated = client.conflated.getOrDefault(symbol + "@" + seq, 0L);
                    if (conflated != missing) {
                        fail(symbol + ": " + missing + " quotes the observer saw before seq " + seq
                            + " are missing, and that quote counts " + conflated + " conflated; first seen from "
                            + seen.firstLiveSeq + ", client from " + from);
                    }
                    missing = 0;
                }
            }
            assertTrue(compared > 100, "enough quotes compared: " + compared);
            assertEquals(0, client.duplicates, "no quote twice: " + client.firstDuplicate);
            assertEquals(0, client.outOfOrder, "seq increases per symbol: " + client.firstOutOfOrder);
            System.out.println("ResumeIT: resumed after " + AWAY.toMillis() + " ms away with since " + since + ": "
                + replayed + " replayed, " + compared + " quotes compared with the observer");
        }
    }

    /** What one client received: quotes by symbol@seq, duplicates, order per symbol. */
    private static final class Ledger {
        final List<String> quotes = new ArrayList<>();
        private final Set<String> unique = new HashSet<>();
        private final Map<String, Long> lastSeq = new java.util.HashMap<>();
        final Map<String, TreeSet<Long>> seqsBySymbol = new java.util.HashMap<>();
        final Map<String, Long> conflated = new java.util.HashMap<>();
        long highestSeq = -1;
        long firstLiveSeq = -1;
        int duplicates;
        String firstDuplicate;
        int outOfOrder;
        String firstOutOfOrder;

        void read(final List<Map<String, Object>> events, final boolean resumed) {
            for (final Map<String, Object> event : events) {
                if (!"quote".equals(event.get("type"))) {
                    continue;
                }
                final String symbol = (String) event.get("symbol");
                final long seq = seq(event);
                highestSeq = Math.max(highestSeq, seq);
                if (Boolean.TRUE.equals(event.get("snapshot"))) {
                    continue; // the state before the stream, not an update seen live
                }
                if (firstLiveSeq < 0 && !resumed) {
                    firstLiveSeq = seq;
                }
                final String key = symbol + "@" + seq;
                if (!unique.add(key) && duplicates++ == 0) {
                    firstDuplicate = key;
                }
                final Long previous = lastSeq.put(symbol, seq);
                if (previous != null && seq <= previous && outOfOrder++ == 0) {
                    firstOutOfOrder = key + " after " + previous;
                }
                quotes.add(key);
                seqsBySymbol.computeIfAbsent(symbol, k -> new TreeSet<>()).add(seq);
                if (event.get("conflated") != null) {
                    conflated.put(key, ((Number) event.get("conflated")).longValue());
                }
            }
        }
    }

    static boolean isLiveQuote(final Map<String, Object> event) {
        return "quote".equals(event.get("type")) && event.get("snapshot") == null;
    }

    static long seq(final Map<String, Object> event) {
        return ((Number) event.get("seq")).longValue();
    }

    static long epochOf(final Map<String, Object> ack) {
        return ((Number) ack.get("epoch")).longValue();
    }
}
