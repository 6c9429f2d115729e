package io.ticker.server.book;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.protocol.BinaryRecordReader;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.Quote;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The history as a resume reads it: what it holds and no more, seq order, the reach check at its edges, epochs, and
 * (the fuzz case) a reader racing a writer that wraps the ring many times while it reads, which must never hand back
 * a torn record, a wrong symbol or a gap: only a whole run or "no longer held".
 */
class QuoteHistoryTest {
    private static final int SYMBOLS = 7;
    private static final byte[][] ASCII = new byte[SYMBOLS][];

    static {
        for (int i = 0; i < SYMBOLS; i++) {
            ASCII[i] = ("S" + i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void shouldReplayEveryUpdateAfterSinceOfTheWantedSymbolsInSeqOrder() {
        final QuoteHistory history = new QuoteHistory(100);
        appendSeqs(history, 1, 50);
        final HistoryReader reader = new HistoryReader(history);
        final boolean[] wanted = new boolean[SYMBOLS];
        wanted[3] = true;

        assertTrue(reader.collect(0, history.written(), 20, wanted));
        long expected = 21;
        while (expected % SYMBOLS != 3) {
            expected++;
        }
        assertTrue(reader.count() > 0);
        for (int i = 0; i < reader.count(); i++, expected += SYMBOLS) {
            assertEquals(expected, reader.seq(i));
            assertEquals(3, reader.symbolId(i));
            assertRecord(reader, i);
        }
        assertEquals(45, reader.seq(reader.count() - 1), "the last update of symbol 3 up to seq 50");

        assertTrue(reader.collect(0, history.written(), 0, null), "everything from the first update");
        assertEquals(50, reader.count());
        assertTrue(reader.collect(0, history.written(), 50, null), "nothing after the newest: held, empty");
        assertEquals(0, reader.count());
    }

    @Test
    void shouldReachBackExactlyAsFarAsItHolds() {
        final QuoteHistory history = new QuoteHistory(16);
        appendSeqs(history, 1, 40); // holds seqs 25..40
        final HistoryReader reader = new HistoryReader(history);
        assertTrue(reader.collect(0, history.written(), 24, null), "since 24: 25 is the oldest held, enough");
        assertEquals(16, reader.count());
        assertEquals(25, reader.seq(0));
        assertTrue(reader.collect(0, history.written(), 30, null));
        assertEquals(10, reader.count());
        assertEquals(31, reader.seq(0));
        assertFalse(reader.collect(0, history.written(), 23, null), "since 23: seq 24 is gone");
        assertEquals(0, reader.count());
        assertFalse(new HistoryReader(new QuoteHistory(0)).collect(0, 40, 23, null), "a history of 0 holds none");
    }

    @Test
    void shouldReadOnlyTheEpochItIsAskedFor() {
        final QuoteHistory history = new QuoteHistory(64);
        appendSeqs(history, 1, 20);
        final long epochStart = history.written();
        appendSeqs(history, 1, 10); // a new feed session: seq starts again
        final HistoryReader reader = new HistoryReader(history);
        assertTrue(reader.collect(epochStart, history.written(), 4, null));
        assertEquals(6, reader.count());
        assertEquals(5, reader.seq(0));
        assertTrue(reader.collect(0, epochStart, 15, null), "the old session, read up to where it ended");
        assertEquals(5, reader.count());
        assertEquals(16, reader.seq(0));
    }

    @Test
    void shouldSayTooOldWhenTheServerNeverHadTheUpdatesAfterSince() {
        final QuoteHistory history = new QuoteHistory(64);
        appendSeqs(history, 1000, 1010); // joined the feed at seq 1000
        final HistoryReader reader = new HistoryReader(history);
        assertFalse(reader.collect(0, history.written(), 900, null));
        assertTrue(reader.collect(0, history.written(), 999, null));
        assertEquals(11, reader.count());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldNeverHandBackATornOrMissingUpdateWhileTheWriterWrapsAroundIt() throws Exception {
        final QuoteHistory history = new QuoteHistory(1024);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writer = new Thread(() -> {
            final Quote quote = new Quote();
            long seq = 1;
            while (!stop.get()) {
                fill(quote, seq);
                history.append(seq, quote, ASCII[quote.symbolId]);
                seq++;
            }
        }, "history-writer");
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        writer.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
        writer.start();
        final HistoryReader reader = new HistoryReader(history);
        final boolean[] wanted = new boolean[SYMBOLS];
        wanted[1] = true;
        wanted[4] = true;
        final java.util.SplittableRandom random = new java.util.SplittableRandom(20);
        int whole = 0;
        int gone = 0;
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < deadline || whole < 100 || gone < 100) {
                // index i holds seq i + 1: read what a shard that delivered up to `end` may read
                final long end = history.written();
                final long since = Math.max(0, end - 1 - random.nextInt(2048));
                final boolean held = reader.collect(0, end, since, (since & 1) == 0 ? wanted : null);
                if (!held) {
                    gone++;
                    assertEquals(0, reader.count());
                    continue;
                }
                if (reader.count() > 0) {
                    whole++;
                }
                long previous = since;
                for (int i = 0; i < reader.count(); i++) {
                    final long seq = reader.seq(i);
                    assertTrue(seq > previous && seq <= end, "seq " + seq + " after " + previous);
                    if ((since & 1) == 1) {
                        assertEquals(previous + 1, seq, "every update after since, none skipped");
                    } else {
                        assertTrue(wanted[reader.symbolId(i)]);
                        for (long missed = previous + 1; missed < seq; missed++) {
                            assertFalse(wanted[symbolOf(missed)], "skipped wanted seq " + missed);
                        }
                    }
                    assertRecord(reader, i);
                    previous = seq;
                }
                if ((since & 1) == 1) {
                    assertEquals(end, previous, "up to the end asked for");
                }
                reader.release();
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(null, failure.get());
        assertTrue(whole >= 100 && gone >= 100, "both outcomes exercised: whole " + whole + ", gone " + gone);
    }

    private static void appendSeqs(final QuoteHistory history, final long first, final long last) {
        final Quote quote = new Quote();
        for (long seq = first; seq <= last; seq++) {
            fill(quote, seq);
            history.append(seq, quote, ASCII[quote.symbolId]);
        }
    }

    private static int symbolOf(final long seq) {
        return (int) (seq % SYMBOLS);
    }

    /** Every field derived from the seq, so a record mixing two updates shows. */
    private static void fill(final Quote quote, final long seq) {
        quote.symbolId = symbolOf(seq);
        quote.bid = seq * 10;
        quote.ask = seq * 10 + 1;
        quote.last = seq * 10 + 2;
        quote.bidSize = seq + 3;
        quote.askSize = seq + 4;
        quote.lastSize = seq + 5;
        quote.volume = seq + 6;
        quote.timestampMicros = seq + 7;
    }

    private static void assertRecord(final HistoryReader reader, final int i) {
        final BinaryRecordReader record = new BinaryRecordReader()
            .wrap(reader.records(), reader.recordOffset(i), BinaryRecords.QUOTE_LENGTH);
        record.next();
        final long seq = record.seq();
        assertEquals(reader.seq(i), seq);
        assertEquals("S" + symbolOf(seq), record.symbol());
        assertEquals(reader.symbolId(i), symbolOf(seq));
        assertEquals(seq * 10, record.bid());
        assertEquals(seq * 10 + 1, record.ask());
        assertEquals(seq * 10 + 2, record.last());
        assertEquals(seq + 3, record.bidSize());
        assertEquals(seq + 4, record.askSize());
        assertEquals(seq + 5, record.lastSize());
        assertEquals(seq + 6, record.volume());
        assertEquals(seq + 7, record.timestampMicros());
    }
}
