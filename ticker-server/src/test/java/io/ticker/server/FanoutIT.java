package io.ticker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.feed.QuoteSink;
import io.ticker.protocol.Quote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many concurrent clients each get every update of their symbols, in order, accounted for exactly. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FanoutIT {
    private static final int CLIENTS = 200;
    private static final int SYMBOLS = 50;
    private static final int SYMBOLS_PER_CLIENT = 5;
    private static final int UPDATES = 3_000;

    @Test
    void shouldDeliverEveryUpdateOfTheirSymbolsToTwoHundredConcurrentClients() throws Exception {
        try (TickerServer server = TickerServer.start(new ServerConfig().host("127.0.0.1").port(0)
            .symbols(SYMBOLS).embeddedFeed(false))) {
            final SplittableRandom random = new SplittableRandom(7);
            final List<TickerClient> clients = new ArrayList<>();
            final List<List<String>> wanted = new ArrayList<>();
            try {
                for (int c = 0; c < CLIENTS; c++) {
                    final TickerClient client = TickerClient.connect(server.port());
                    final List<String> symbols = new ArrayList<>();
                    while (symbols.size() < SYMBOLS_PER_CLIENT) {
                        final String symbol = server.universe().symbol(random.nextInt(SYMBOLS));
                        if (!symbols.contains(symbol)) {
                            symbols.add(symbol);
                        }
                    }
                    client.send("{\"op\":\"subscribe\",\"symbols\":[\"" + String.join("\",\"", symbols) + "\"]}");
                    clients.add(client);
                    wanted.add(symbols);
                }
                for (final TickerClient client : clients) {
                    assertEquals("subscribed", client.next(Duration.ofSeconds(10)).get("type"));
                }

                final Map<String, Integer> publishedPerSymbol = new HashMap<>();
                final Map<String, Long> lastSeqPerSymbol = new HashMap<>();
                final List<String> order = publish(server, random);
                // The ring gives seq in publish order from 0, so the last seq of each symbol is known here.
                for (int seq = 0; seq < order.size(); seq++) {
                    publishedPerSymbol.merge(order.get(seq), 1, Integer::sum);
                    lastSeqPerSymbol.put(order.get(seq), (long) seq);
                }

                long conflatedTotal = 0;
                for (int c = 0; c < CLIENTS; c++) {
                    final TickerClient client = clients.get(c);
                    final Map<String, Long> received = new HashMap<>();
                    final Map<String, Long> lastSeq = new HashMap<>();
                    final long expectedTotal = wanted.get(c).stream()
                        .mapToLong(s -> publishedPerSymbol.getOrDefault(s, 0)).sum();
                    long accounted = 0;
                    final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (accounted < expectedTotal && System.nanoTime() < deadline) {
                        final Map<String, Object> quote = client.next(Duration.ofSeconds(10));
                        final String symbol = (String) quote.get("symbol");
                        assertTrue(wanted.get(c).contains(symbol), "client " + c + " got unsubscribed " + symbol);
                        final long seq = ((Number) quote.get("seq")).longValue();
                        final Long previous = lastSeq.put(symbol, seq);
                        assertTrue(previous == null || seq > previous, "seq must increase per symbol");
                        final long conflated = quote.containsKey("conflated")
                            ? ((Number) quote.get("conflated")).longValue() : 0;
                        conflatedTotal += conflated;
                        received.merge(symbol, 1 + conflated, Long::sum);
                        accounted += 1 + conflated;
                    }
                    for (final String symbol : wanted.get(c)) {
                        assertEquals(publishedPerSymbol.getOrDefault(symbol, 0).longValue(),
                            received.getOrDefault(symbol, 0L), "client " + c + " symbol " + symbol
                                + ": delivered + conflated must equal published");
                        if (lastSeqPerSymbol.containsKey(symbol)) {
                            assertEquals(lastSeqPerSymbol.get(symbol), lastSeq.get(symbol),
                                "client " + c + " ends on the newest quote of " + symbol);
                        }
                    }
                }
                assertEquals(0, conflatedTotal, "healthy clients at this rate should not need conflation");
            } finally {
                clients.forEach(TickerClient::close);
            }
        }
    }

    /** Publishes {@link #UPDATES} quotes in bursts; returns the symbol of each, in seq order. */
    private static List<String> publish(final TickerServer server, final SplittableRandom random)
        throws InterruptedException {
        final QuoteSink ingest = server.ingest();
        final Quote quote = new Quote();
        final List<String> order = new ArrayList<>();
        for (int i = 0; i < UPDATES; i++) {
            ingest.onQuote(TestQuotes.fill(quote, random.nextInt(SYMBOLS), i));
            order.add(server.universe().symbol(quote.symbolId));
            if (i % 50 == 49) {
                Thread.sleep(20);
            }
        }
        return order;
    }
}
