package io.ticker.feed;

import io.ticker.protocol.FixedPoint;
import io.ticker.protocol.Quote;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochMicroClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Plays a recording back into a sink: JSON lines of the contract's quote object, as {@code feed-simulator --out}
 * writes them, or as a user converts real market data into (one quote a line with {@code symbol}, {@code bid},
 * {@code bidSize}, {@code ask}, {@code askSize}, {@code last}, {@code lastSize}, {@code volume}, {@code ts}; other
 * fields are ignored). Quotes go out at the recorded pace ({@code ts} differences) divided by {@code speed}, or as
 * fast as the sink takes them with speed {@link #AS_FAST_AS_POSSIBLE}. Each quote is stamped with the wall clock
 * when it goes out, so latency measured downstream is that of this run. The sink sequences it again: a replay of
 * our own recording gives the same seq, symbols and prices.
 *
 * <p>Symbols must be in the universe (the same {@code --symbols} and {@code --seed} as the recording); a line with
 * another symbol, or one that does not parse, is skipped and counted. Single-threaded, an agent like the feed.
 */
public final class QuoteReplay implements Agent, AutoCloseable {
    /** The speed that means no pacing. */
    public static final double AS_FAST_AS_POSSIBLE = 0;

    private final BufferedReader reader;
    private final SymbolUniverse universe;
    private final double speed;
    private final QuoteSink sink;
    private final NanoClock nanoClock;
    private final EpochMicroClock epochMicroClock;
    private final Quote quote = new Quote();
    private boolean pending;
    private boolean finished;
    private long firstRecordedMicros = Long.MIN_VALUE;
    private long startNs;
    private long dueOffsetNs;
    private volatile long quotesReplayed;
    private volatile long linesSkipped;

    /**
     * Opens {@code recording}.
     *
     * @param speed 1 for the recorded pace, N for N times faster, {@link #AS_FAST_AS_POSSIBLE} for no pacing
     * @throws UncheckedIOException if the file cannot be opened
     */
    public QuoteReplay(final Path recording, final SymbolUniverse universe, final double speed, final QuoteSink sink) {
        this(recording, universe, speed, sink, SystemNanoClock.INSTANCE, new SystemEpochMicroClock());
    }

    /** As above, on the given clocks. */
    public QuoteReplay(
        final Path recording,
        final SymbolUniverse universe,
        final double speed,
        final QuoteSink sink,
        final NanoClock nanoClock,
        final EpochMicroClock epochMicroClock) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (as fast as possible) or above, was " + speed);
        }
        try {
            reader = Files.newBufferedReader(recording, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + recording, e);
        }
        this.universe = universe;
        this.speed = speed;
        this.sink = sink;
        this.nanoClock = nanoClock;
        this.epochMicroClock = epochMicroClock;
    }

    /**
     * Sends the recorded quotes that are due by now, at most {@link FeedSimulator#BURST_QUOTES_MAX}.
     *
     * @return quotes sent
     */
    @Override
    public int doWork() {
        int sent = 0;
        while (sent < FeedSimulator.BURST_QUOTES_MAX && (pending || readNext())) {
            if (speed != AS_FAST_AS_POSSIBLE && nanoClock.nanoTime() - startNs < dueOffsetNs) {
                pending = true;
                break;
            }
            pending = false;
            quote.timestampMicros = epochMicroClock.microTime();
            sink.onQuote(quote);
            sent++;
        }
        if (sent > 0) {
            sink.endOfBatch();
        }
        quotesReplayed = quotesReplayed + sent;
        return sent;
    }

    private boolean readNext() {
        if (finished) {
            return false;
        }
        while (true) {
            final String line;
            try {
                line = reader.readLine();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read the recording", e);
            }
            if (line == null) {
                finished = true;
                return false;
            }
            if (parse(line)) {
                break;
            }
            if (!line.isBlank()) {
                linesSkipped = linesSkipped + 1;
            }
        }
        if (firstRecordedMicros == Long.MIN_VALUE) {
            firstRecordedMicros = quote.timestampMicros;
            startNs = nanoClock.nanoTime();
        }
        if (speed != AS_FAST_AS_POSSIBLE) {
            dueOffsetNs = (long) ((quote.timestampMicros - firstRecordedMicros) * 1_000.0 / speed);
        }
        return true;
    }

    private boolean parse(final String line) {
        final String symbol = stringField(line, "\"symbol\":");
        if (symbol == null) {
            return false;
        }
        final int symbolId = universe.idOf(symbol);
        if (symbolId < 0) {
            return false;
        }
        try {
            quote.symbolId = symbolId;
            quote.bid = FixedPoint.parse(numberField(line, "\"bid\":"));
            quote.bidSize = Long.parseLong(numberField(line, "\"bidSize\":"));
            quote.ask = FixedPoint.parse(numberField(line, "\"ask\":"));
            quote.askSize = Long.parseLong(numberField(line, "\"askSize\":"));
            quote.last = FixedPoint.parse(numberField(line, "\"last\":"));
            quote.lastSize = Long.parseLong(numberField(line, "\"lastSize\":"));
            quote.volume = Long.parseLong(numberField(line, "\"volume\":"));
            quote.timestampMicros = Long.parseLong(numberField(line, "\"ts\":"));
            return true;
        } catch (final RuntimeException malformed) {
            return false;
        }
    }

    private static String stringField(final String line, final String key) {
        final int at = line.indexOf(key);
        if (at < 0) {
            return null;
        }
        final int start = line.indexOf('"', at + key.length());
        final int end = start < 0 ? -1 : line.indexOf('"', start + 1);
        return end < 0 ? null : line.substring(start + 1, end);
    }

    private static String numberField(final String line, final String key) {
        final int at = line.indexOf(key);
        if (at < 0) {
            throw new IllegalArgumentException("missing " + key);
        }
        int start = at + key.length();
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        int end = start;
        while (end < line.length() && "-+.0123456789eE".indexOf(line.charAt(end)) >= 0) {
            end++;
        }
        return line.substring(start, end);
    }

    /** Whether every line has been read and sent. */
    public boolean finished() {
        return finished && !pending;
    }

    /** Quotes sent so far. */
    public long quotesReplayed() {
        return quotesReplayed;
    }

    /** Lines skipped: unknown symbol or not a quote. */
    public long linesSkipped() {
        return linesSkipped;
    }

    @Override
    public String roleName() {
        return "feed-replay";
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
