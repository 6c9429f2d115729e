package io.ticker.feed;

import io.ticker.protocol.FixedPoint;
import org.agrona.collections.Object2IntHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The symbols a feed quotes: plausible tickers with base prices, each known by an int id from 0 to size() - 1.
 * Symbols become ids at the edges (feed start, subscribe) and stay ids inside.
 *
 * <p>Ids are in order of activity: id 0 is the busiest symbol and activity falls with the id (the feed's Zipf rank
 * is {@code id + 1}), so {@link #symbols()} lists the busiest first. A generated universe starts with well-known
 * real tickers, most active first, and goes on with made-up pronounceable ones; the universe of {@code n} symbols is
 * the first {@code n} of any larger one with the same seed, so ids do not move when the count changes.
 */
public final class SymbolUniverse {
    /** Symbols in the universe when none is asked for. */
    public static final int SYMBOLS_DEFAULT = 500;
    /** The most symbols {@link #generate} makes. */
    public static final int SYMBOLS_MAX = 20_000;
    /** The longest ticker, in ASCII characters. */
    public static final int SYMBOL_LENGTH_MAX = 8;

    /** Real tickers, roughly most traded first, with an illustrative (not current) price in dollars. */
    private static final String[] WELL_KNOWN = {
        "NVDA:131.40", "TSLA:248.50", "AAPL:189.90", "AMD:152.30", "SPY:551.20", "QQQ:472.80", "AMZN:181.60",
        "MSFT:421.70", "META:503.10", "GOOGL:171.20", "PLTR:25.40", "INTC:30.15", "F:11.20", "BAC:38.60",
        "SOFI:7.85", "NIO:5.10", "AAL:12.40", "T:18.20", "PFE:28.30", "SMCI:45.60", "MARA:18.90", "RIVN:12.10",
        "IWM:211.50", "XLF:42.30", "CCL:18.40", "UBER:70.20", "NFLX:652.00", "BABA:80.10", "GOOG:172.90",
        "COIN:231.00", "MU:101.20", "WBD:8.05", "AVGO:161.30", "JPM:201.40", "C:62.70", "WFC:58.30", "XOM:115.20",
        "CVX:155.60", "KO:62.40", "PEP:170.10", "DIS:95.30", "BA:180.50", "GE:160.20", "GM:48.10", "NKE:85.40",
        "ORCL:140.30", "CSCO:50.20", "CRM:260.80", "ADBE:501.50", "PYPL:65.30", "SNAP:11.10", "SHOP:75.60",
        "ROKU:65.20", "LCID:3.05", "PLUG:2.95", "GME:23.40", "AMC:4.95", "HOOD:20.30", "RIOT:10.20", "DKNG:38.40",
        "ABNB:140.20", "LYFT:14.10", "PINS:30.40", "UAL:50.30", "DAL:45.20", "LUV:28.10", "WMT:68.30",
        "TGT:150.40", "COST:881.00", "HD:361.20", "LOW:230.40", "MCD:270.10", "SBUX:80.20", "V:271.30",
        "MA:460.50", "UNH:521.40", "JNJ:155.30", "MRK:125.60", "ABBV:175.20", "LLY:822.00", "MRNA:110.40",
        "CVS:60.20", "WBA:11.30", "QCOM:170.50", "TXN:195.30", "IBM:180.20", "HPQ:35.10", "DELL:120.40",
        "ARM:130.60", "TSM:170.20", "ASML:880.00", "SONY:85.30", "TM:190.40", "NVO:120.20", "SHEL:70.10",
        "BP:34.20", "OXY:60.30", "SLB:45.10", "HAL:32.40", "KMI:20.10", "VZ:40.20", "TMUS:170.30", "CMCSA:38.40",
        "CHWY:25.20", "ETSY:60.10", "EBAY:50.30", "ZM:65.40", "DOCU:55.20", "OKTA:90.10", "SNOW:130.40",
        "NET:80.20", "DDOG:120.30", "CRWD:301.00", "PANW:320.50", "MSTR:160.20", "BRK.B:431.00", "GS:460.30",
        "MS:95.20", "SCHW:70.40", "AXP:230.10", "BX:125.30", "KKR:110.20", "SPOT:320.40", "TTD:95.10",
        "RBLX:40.30", "U:20.20", "PATH:12.10", "AFRM:30.40", "UPST:25.30", "CLSK:12.20", "TQQQ:60.40",
        "SQQQ:9.10", "SOXL:35.20",
    };

    private static final String[] ONSETS = {
        "B", "C", "D", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "T", "V", "W", "Z",
        "BR", "CR", "DR", "FL", "GR", "PL", "PR", "ST", "TR", "SK", "SP", "CL", "GL", "SN",
    };
    private static final String[] VOWELS = {"A", "E", "I", "O", "U", "A", "E", "O", "AI", "OU", "EA", "Y"};
    private static final String[] CODAS = {"", "", "", "", "N", "R", "X", "L", "S", "T", "K", "M", "D"};
    private static final int GENERATED_LENGTH_MIN = 3;
    private static final int GENERATED_LENGTH_MAX = 5;

    /** Median and spread of generated prices: log-normal, then clamped, since most listed stocks trade $10-$100. */
    private static final double GENERATED_PRICE_MEDIAN_DOLLARS = 30.0;
    private static final double GENERATED_PRICE_LOG_SIGMA = 1.1;
    private static final double GENERATED_PRICE_MIN_DOLLARS = 2.0;
    private static final double GENERATED_PRICE_MAX_DOLLARS = 900.0;
    /** Keeps generated universes apart from the feed's own streams, which derive from the same seed. */
    private static final long UNIVERSE_SEED_SALT = 0x5EED_0F_5EED_0F00L;

    private final String[] symbols;
    private final byte[][] symbolsAscii;
    private final long[] basePrices;
    private final List<String> symbolList;
    // Primitive values: a lookup neither boxes nor allocates.
    private final Object2IntHashMap<String> idsBySymbol;

    private SymbolUniverse(final String[] symbols, final long[] basePrices) {
        this.symbols = symbols;
        this.basePrices = basePrices;
        symbolsAscii = new byte[symbols.length][];
        idsBySymbol = new Object2IntHashMap<>(symbols.length * 2, 0.65f, -1);
        for (int id = 0; id < symbols.length; id++) {
            final String symbol = symbols[id];
            checkSymbol(symbol);
            if (basePrices[id] <= 0) {
                throw new IllegalArgumentException("base price of " + symbol + " must be positive: " + basePrices[id]);
            }
            if (idsBySymbol.put(symbol, id) != -1) {
                throw new IllegalArgumentException("duplicate symbol " + symbol);
            }
            symbolsAscii[id] = symbol.getBytes(StandardCharsets.US_ASCII);
        }
        symbolList = Collections.unmodifiableList(Arrays.asList(symbols));
    }

    /**
     * A universe of {@code count} symbols, the same for the same count and seed.
     *
     * @param count how many symbols, 1 to {@link #SYMBOLS_MAX}
     * @throws IllegalArgumentException if {@code count} is out of range
     */
    public static SymbolUniverse generate(final int count, final long seed) {
        if (count < 1 || count > SYMBOLS_MAX) {
            throw new IllegalArgumentException("symbol count must be 1.." + SYMBOLS_MAX + ", was " + count);
        }
        final String[] symbols = new String[count];
        final long[] basePrices = new long[count];
        final Set<String> taken = new HashSet<>(count * 2);
        final int wellKnownCount = Math.min(count, WELL_KNOWN.length);
        for (int id = 0; id < wellKnownCount; id++) {
            final int colon = WELL_KNOWN[id].indexOf(':');
            symbols[id] = WELL_KNOWN[id].substring(0, colon);
            basePrices[id] = FixedPoint.parse(WELL_KNOWN[id].substring(colon + 1));
        }
        // Every real ticker is reserved even when the universe is smaller, so a made-up one never shadows it.
        for (final String entry : WELL_KNOWN) {
            taken.add(entry.substring(0, entry.indexOf(':')));
        }
        final SplitMix64 random = new SplitMix64(seed ^ UNIVERSE_SEED_SALT);
        for (int id = wellKnownCount; id < count; id++) {
            symbols[id] = pronounceableTicker(random, taken);
            basePrices[id] = generatedBasePrice(random);
        }
        return new SymbolUniverse(symbols, basePrices);
    }

    /**
     * A universe of exactly these symbols and base prices, in id order (busiest first); for tests and for feeds
     * whose symbols come from elsewhere.
     *
     * @throws IllegalArgumentException if a ticker is not 1-{@value #SYMBOL_LENGTH_MAX} characters of {@code A-Z}
     *                                  and {@code .}, is repeated, or a price is not positive
     */
    public static SymbolUniverse of(final List<String> symbols, final long[] basePrices) {
        if (symbols.isEmpty() || symbols.size() != basePrices.length) {
            throw new IllegalArgumentException(
                "need one base price per symbol and at least one symbol: " + symbols.size() + " symbols, "
                    + basePrices.length + " prices");
        }
        return new SymbolUniverse(symbols.toArray(new String[0]), basePrices.clone());
    }

    /** How many symbols. */
    public int size() {
        return symbols.length;
    }

    /** The ticker of symbol {@code id}. */
    public String symbol(final int id) {
        return symbols[id];
    }

    /** The ticker of symbol {@code id} as ASCII bytes: shared, never to be modified. */
    public byte[] symbolAscii(final int id) {
        return symbolsAscii[id];
    }

    /** The id of {@code symbol}, or -1 if it is not in the universe. O(1): one hash lookup. */
    public int idOf(final String symbol) {
        if (symbol == null) {
            return -1;
        }
        return idsBySymbol.getValue(symbol);
    }

    /** The first price of symbol {@code id}, fixed-point. */
    public long basePrice(final int id) {
        return basePrices[id];
    }

    /** Every ticker, in id order (busiest first); unmodifiable. */
    public List<String> symbols() {
        return symbolList;
    }

    private static String pronounceableTicker(final SplitMix64 random, final Set<String> taken) {
        final StringBuilder name = new StringBuilder(GENERATED_LENGTH_MAX + 4);
        while (true) {
            name.setLength(0);
            appendSyllable(name, random);
            // Two syllables most of the time: one-syllable names are few and soon all taken.
            if (random.nextInt(10) < 7) {
                appendSyllable(name, random);
            }
            final String candidate = name.toString();
            if (candidate.length() >= GENERATED_LENGTH_MIN && candidate.length() <= GENERATED_LENGTH_MAX
                && taken.add(candidate)) {
                return candidate;
            }
        }
    }

    private static void appendSyllable(final StringBuilder name, final SplitMix64 random) {
        name.append(ONSETS[random.nextInt(ONSETS.length)]);
        name.append(VOWELS[random.nextInt(VOWELS.length)]);
        name.append(CODAS[random.nextInt(CODAS.length)]);
    }

    private static long generatedBasePrice(final SplitMix64 random) {
        final double dollars = GENERATED_PRICE_MEDIAN_DOLLARS
            * StrictMath.exp(GENERATED_PRICE_LOG_SIGMA * random.nextGaussian());
        final double clamped = Math.max(GENERATED_PRICE_MIN_DOLLARS, Math.min(GENERATED_PRICE_MAX_DOLLARS, dollars));
        // Whole cents, as a listed price would be.
        return Math.round(clamped * 100) * (FixedPoint.ONE / 100);
    }

    private static void checkSymbol(final String symbol) {
        if (symbol == null || symbol.isEmpty() || symbol.length() > SYMBOL_LENGTH_MAX) {
            throw new IllegalArgumentException("ticker must be 1-" + SYMBOL_LENGTH_MAX + " characters: " + symbol);
        }
        for (int i = 0; i < symbol.length(); i++) {
            final char c = symbol.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '.') {
                throw new IllegalArgumentException("ticker must be A-Z and '.' only: " + symbol);
            }
        }
    }

    /** For tests: the real tickers the generated universe starts with. */
    static List<String> wellKnownTickers() {
        final List<String> tickers = new ArrayList<>(WELL_KNOWN.length);
        for (final String entry : WELL_KNOWN) {
            tickers.add(entry.substring(0, entry.indexOf(':')));
        }
        return tickers;
    }
}
