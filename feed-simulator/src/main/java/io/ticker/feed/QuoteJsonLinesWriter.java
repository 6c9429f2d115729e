package io.ticker.feed;

import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteJsonEncoder;

import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A sink that writes each quote as one JSON line ({@link QuoteJsonEncoder}'s quote object and {@code '\n'}), with
 * {@code seq} counting from 0 in the order quotes arrive. Quotes are encoded straight into one reused byte buffer
 * that goes to the stream when full, so a quote costs no allocation and no call into the stream. Not thread-safe.
 */
public final class QuoteJsonLinesWriter implements QuoteSink, Flushable {
    /** Bytes buffered before a write to the stream. */
    public static final int BUFFER_BYTES_DEFAULT = 64 * 1024;

    private static final int LINE_LENGTH_MAX = QuoteJsonEncoder.MAX_QUOTE_LENGTH + 1;

    private final SymbolUniverse universe;
    private final OutputStream out;
    private final byte[] buffer;
    private int position;
    private long nextSeq;

    /** A writer of quotes of {@code universe} to {@code out}, which it does not close. */
    public QuoteJsonLinesWriter(final SymbolUniverse universe, final OutputStream out) {
        this(universe, out, BUFFER_BYTES_DEFAULT);
    }

    /** As above, buffering {@code bufferBytes} (at least one line) between writes. */
    public QuoteJsonLinesWriter(final SymbolUniverse universe, final OutputStream out, final int bufferBytes) {
        this.universe = universe;
        this.out = out;
        buffer = new byte[Math.max(bufferBytes, LINE_LENGTH_MAX)];
    }

    /**
     * Encodes one line.
     *
     * @throws UncheckedIOException if the stream fails (a closed pipe, a full disk)
     */
    @Override
    public void onQuote(final Quote quote) {
        if (buffer.length - position < LINE_LENGTH_MAX) {
            drain();
        }
        position = QuoteJsonEncoder.encode(buffer, position, universe.symbolAscii(quote.symbolId), nextSeq++, quote);
        buffer[position++] = '\n';
    }

    /** Quotes written so far, which is also the next {@code seq}. */
    public long quotesWritten() {
        return nextSeq;
    }

    /** Writes what is buffered and flushes the stream. */
    @Override
    public void flush() throws IOException {
        out.write(buffer, 0, position);
        position = 0;
        out.flush();
    }

    private void drain() {
        try {
            out.write(buffer, 0, position);
            position = 0;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write quotes", e);
        }
    }
}
