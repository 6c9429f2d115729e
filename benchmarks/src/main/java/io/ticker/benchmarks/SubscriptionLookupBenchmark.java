package io.ticker.benchmarks;

import io.ticker.feed.SplitMix64;
import io.ticker.feed.SymbolUniverse;
import io.ticker.feed.ZipfSampler;
import io.ticker.protocol.Quote;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finding who wants a quote, at both ends. At subscribe time a ticker becomes an id ({@link SymbolUniverse#idOf},
 * Agrona's primitive-valued map) beside a {@link HashMap} of boxed ids. Per update the shard indexes its subscriber
 * array by id and walks it: {@link #routeQuote} replays the Zipf feed to {@link #SUBSCRIBERS} healthy subscribers who
 * each chose {@link #SYMBOLS_PER_SUBSCRIBER} symbols by the same Zipf skew, beside the same updates to a shard with no
 * subscribers at all (encode, hand-off and book only). The difference is the lookup, the walk and the deliveries.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = JvmArgs.AGRONA_EXPORTS)
@State(Scope.Thread)
public class SubscriptionLookupBenchmark {
    /** Connections on the shard. */
    public static final int SUBSCRIBERS = 1000;
    /** Symbols each connection subscribes to. */
    public static final int SYMBOLS_PER_SUBSCRIBER = 10;
    private static final int TAPE_MASK = QuoteTape.LENGTH - 1;

    /** Symbols in the universe: the server's default and the most it supports. */
    @Param({"500", "20000"})
    public int universeSize;

    private SymbolUniverse universe;
    private Map<String, Integer> boxedIds;
    // Tickers as a command decoder would give them: equal to the universe's, not the same objects.
    private String[] names;
    private Quote[] tape;
    private FanoutFixture subscribed;
    private FanoutFixture empty;
    private int next;
    private double deliveriesPerQuote;

    /** Builds the universe, both maps, the tape and both shards. */
    @Setup
    public void setUp() {
        universe = SymbolUniverse.generate(universeSize, QuoteTape.SEED);
        boxedIds = new HashMap<>();
        for (int id = 0; id < universe.size(); id++) {
            boxedIds.put(universe.symbol(id), id);
        }
        tape = QuoteTape.record(universe);
        names = new String[QuoteTape.LENGTH];
        for (int i = 0; i < names.length; i++) {
            names[i] = new String(universe.symbol(tape[i].symbolId).toCharArray());
        }
        subscribed = new FanoutFixture(universe);
        final int[] subscribersBySymbol = new int[universe.size()];
        final ZipfSampler sampler = new ZipfSampler(universe.size(), 1.0);
        final SplitMix64 random = new SplitMix64(QuoteTape.SEED);
        for (int s = 0; s < SUBSCRIBERS; s++) {
            final Set<String> chosen = new LinkedHashSet<>();
            while (chosen.size() < Math.min(SYMBOLS_PER_SUBSCRIBER, universe.size())) {
                final int id = sampler.sample(random);
                if (chosen.add(universe.symbol(id))) {
                    subscribersBySymbol[id]++;
                }
            }
            subscribed.addHealthySubscriber(new ArrayList<>(chosen));
        }
        empty = new FanoutFixture(universe);
        long deliveries = 0;
        for (final Quote quote : tape) {
            deliveries += subscribersBySymbol[quote.symbolId];
        }
        deliveriesPerQuote = deliveries / (double) tape.length;
        // In the fork's output, to read routeQuote per delivery.
        System.out.printf("%nuniverse %d: %.1f deliveries per routed quote%n", universeSize, deliveriesPerQuote);
    }

    /** A ticker to its id, as on subscribe. */
    @Benchmark
    public int idOf() {
        return universe.idOf(names[next++ & TAPE_MASK]);
    }

    /** Baseline: a ticker to its boxed id in a {@link HashMap}. */
    @Benchmark
    public int baselineHashMapIdOf() {
        return boxedIds.get(names[next++ & TAPE_MASK]);
    }

    /** One feed update to every subscriber that chose its symbol, through publisher and shard. */
    @Benchmark
    public long routeQuote() {
        return subscribed.publish(tape[next++ & TAPE_MASK]);
    }

    /** Baseline: the same update to a shard with no subscribers. */
    @Benchmark
    public long baselineRouteQuoteToNobody() {
        return empty.publish(tape[next++ & TAPE_MASK]);
    }

    /** The mean subscribers per tape quote, for reading {@link #routeQuote}'s score per delivery. */
    double deliveriesPerQuote() {
        return deliveriesPerQuote;
    }

    FanoutFixture subscribed() {
        return subscribed;
    }
}
