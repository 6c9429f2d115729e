package io.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.loadgen.measure.EpochClock;
import io.ticker.loadgen.measure.SeqTracker;
import io.ticker.loadgen.run.SymbolChooser;
import io.ticker.loadgen.settings.RampUp;
import io.ticker.loadgen.settings.SymbolSkew;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimitivesTest {
    @Test
    void shouldFlagASeqThatDoesNotIncreasePerSymbol() {
        final SeqTracker seqs = new SeqTracker(2);
        assertTrue(seqs.advance(1, 10, -1));
        assertTrue(seqs.advance(2, 5, -1));
        assertTrue(seqs.advance(1, 11, -1));
        assertFalse(seqs.advance(1, 11, -1));
        assertFalse(seqs.advance(2, 4, -1));
        assertEquals(11, seqs.last(1));
    }

    @Test
    void shouldAcceptARepeatedSnapshotButNotAnOlderOne() {
        final SeqTracker seqs = new SeqTracker(1);
        assertTrue(seqs.advance(3, 100, -1));
        assertTrue(seqs.snapshot(3, 100, -1));
        assertFalse(seqs.snapshot(3, 99, -1));
    }

    @Test
    void shouldLetEachSymbolStartOverOnceAfterAReconnectToARestartedFeed() {
        final SeqTracker seqs = new SeqTracker(2);
        assertTrue(seqs.advance(1, 500, -1));
        assertTrue(seqs.advance(2, 600, -1));
        seqs.newEpoch();
        assertTrue(seqs.advance(1, 3, -1), "the new feed counts from 0: its first quote re-bases");
        assertTrue(seqs.snapshot(2, 7, -1), "so does a first snapshot");
        assertEquals(2, seqs.takeRebases());
        assertEquals(0, seqs.takeRebases(), "taken once");
        assertFalse(seqs.advance(1, 2, -1), "after the first quote, order is checked again");
        assertTrue(seqs.advance(1, 4, -1));
        seqs.newEpoch();
        assertTrue(seqs.advance(1, 4, -1),
            "a restarted feed with the same seed repeats a seq: first live quote re-bases");
        assertEquals(1, seqs.takeRebases());
    }

    @Test
    void shouldKeepCheckingOrderAcrossAFailoverThatContinuesTheFeed() {
        final SeqTracker seqs = new SeqTracker(1);
        assertTrue(seqs.advance(1, 500, -1));
        seqs.newEpoch();
        assertTrue(seqs.snapshot(1, 500, -1), "the same feed's snapshot repeats the last quote");
        assertTrue(seqs.advance(1, 501, -1));
        assertFalse(seqs.advance(1, 501, -1), "a duplicate after the failover is still a violation");
        assertEquals(0, seqs.takeRebases());
    }

    @Test
    void shouldGrowPastTheExpectedNumberOfSymbols() {
        final SeqTracker seqs = new SeqTracker(1);
        for (int id = 0; id < 5_000; id++) {
            assertTrue(seqs.advance(id, id + 1L, 1_000L * id));
        }
        for (int id = 0; id < 5_000; id++) {
            assertEquals(id + 1L, seqs.last(id));
            assertEquals(1_000L * id, seqs.lastTs(id), "each symbol keeps its quote's ts through the rehashes");
        }
        assertEquals(-1, seqs.lastTs(5_000), "a symbol never seen has no ts");
    }

    @Test
    void shouldFindSymbolsStraightFromFrameBytes() {
        final SymbolTable table = new SymbolTable(List.of("AAPL", "MSFT", "S0001"));
        final byte[] frame = "xxMSFTyyZZZ".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, table.find(frame, 2, 4));
        assertEquals(SymbolTable.UNKNOWN, table.find(frame, 8, 3));
        assertEquals(3, table.findOrAdd(frame, 8, 3));
        assertEquals("ZZZ", table.name(3));
        assertEquals(3, table.find(frame, 8, 3));
    }

    @Test
    void shouldParseRampUpAsRateOrDuration() {
        assertEquals(500, RampUp.parse("500/s").ratePerSecond(10));
        assertEquals(100, RampUp.parse("10s").ratePerSecond(1000), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, RampUp.parse("0s").ratePerSecond(10));
        assertEquals(Duration.ofSeconds(10), RampUp.parse("10s").over());
        assertThrows(IllegalArgumentException.class, () -> RampUp.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> RampUp.parse("-5/s"));
    }

    @Test
    void shouldParseSkew() {
        assertEquals(0, SymbolSkew.parse("uniform").zipfExponent());
        assertEquals(1.2, SymbolSkew.parse("zipf:1.2").zipfExponent());
        assertThrows(IllegalArgumentException.class, () -> SymbolSkew.parse("zipf:x"));
    }

    @Test
    void shouldChooseDistinctSymbolsRepeatablyAndFavourBusyOnesUnderZipf() {
        final int[] first = new SymbolChooser(500, SymbolSkew.UNIFORM, 42).choose(10);
        final int[] again = new SymbolChooser(500, SymbolSkew.UNIFORM, 42).choose(10);
        assertArrayEquals(first, again);
        assertEquals(10, java.util.Arrays.stream(first).distinct().count());

        final SymbolChooser zipf = new SymbolChooser(500, new SymbolSkew(1.0), 7);
        int busy = 0;
        for (int i = 0; i < 200; i++) {
            for (final int rank : zipf.choose(5)) {
                busy += rank < 50 ? 1 : 0;
            }
        }
        assertTrue(busy > 500, "zipf should put most picks in the busiest tenth, got " + busy + " of 1000");
        assertEquals(500, new SymbolChooser(500, new SymbolSkew(2.0), 1).choose(600).length);
    }

    @Test
    void shouldGiveWallClockMicrosecondsCloseToInstant() {
        final EpochClock clock = new EpochClock();
        final java.time.Instant now = java.time.Instant.now();
        final long instantMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        assertTrue(Math.abs(clock.nowMicros() - instantMicros) < 50_000);
    }
}
