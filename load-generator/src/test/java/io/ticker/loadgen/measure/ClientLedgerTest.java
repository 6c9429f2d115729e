package io.ticker.loadgen.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.ticker.loadgen.decode.ByteBufScanner;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.protocol.BinaryFrameScanner;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.JsonFrameScanner;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteBinaryEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Feed epochs as a client sees them, from crafted frames: a reset makes seq start over without a violation. */
class ClientLedgerTest {
    private final RunCounters counters = new RunCounters();
    private final ClientLedger ledger = new ClientLedger(0, false, false, new int[] {0, 1}, new ClientLedger.Sinks(
        new SymbolTable(List.of("AAA", "BBB")), counters, new LatencyRecorder(1), new EpochClock(),
        new RecordingWindow(), new DeliveryObserver(2)));
    private final ByteBufScanner json = new ByteBufScanner(new JsonFrameScanner());
    private final ByteBufScanner binary = new ByteBufScanner(new BinaryFrameScanner());

    @Test
    void shouldForgetSeqOrderAtAResetSoTheRestartedFeedIsNoViolation() {
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\",\"BBB\"],\"epoch\":1}]");
        text("[" + quote("AAA", 500, false) + "," + quote("BBB", 501, false) + "]");
        text("[{\"type\":\"reset\",\"epoch\":2}]");
        text("[" + quote("AAA", 1, true) + "," + quote("BBB", 2, true) + "]");
        text("[" + quote("AAA", 3, false) + "]");

        assertEquals(0, ledger.seqViolations());
        assertEquals(1, counters.feedResets());
        assertEquals(1, counters.resetEvents.sum());
        assertEquals(List.of(1L, 2L), counters.epochs());
    }

    @Test
    void shouldStillCountAViolationWhenNoResetWasAnnounced() {
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\",\"BBB\"],\"epoch\":1}]");
        text("[" + quote("AAA", 500, false) + "]");
        text("[" + quote("AAA", 1, true) + "]");
        text("[" + quote("AAA", 3, false) + "]");

        assertEquals(2, ledger.seqViolations(), "an older snapshot and an older live quote, both in epoch 1");
        assertEquals(0, counters.feedResets());
    }

    @Test
    void shouldForgetSeqOrderWhenASubscribeAnswerNamesANewEpoch() {
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\"],\"epoch\":4}]");
        text("[" + quote("AAA", 900, false) + "]");
        // a reconnect to a server whose feed restarted while the client was away: no reset reached it
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\"],\"epoch\":5}]");
        text("[" + quote("AAA", 1, true) + "," + quote("AAA", 2, false) + "]");

        assertEquals(0, ledger.seqViolations());
        assertEquals(0, counters.feedResets(), "no reset event was received");
        assertEquals(List.of(4L, 5L), counters.epochs());
    }

    @Test
    void shouldResumeFromTheHighestSeqAndCountTheAnswersAndReplayedQuotes() {
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\",\"BBB\"],\"epoch\":4}]");
        text("[" + quote("AAA", 10, true) + "," + quote("BBB", 12, true) + "," + quote("BBB", 20, false) + ","
            + quote("AAA", 18, false) + "]");
        ledger.reconnected();
        assertEquals("{\"op\":\"subscribe\",\"since\":20,\"epoch\":4}",
            ledger.resumePoint().resumeCommand("{\"op\":\"subscribe\"}"));
        text("[{\"type\":\"subscribed\",\"epoch\":4,\"recovered\":true}]");
        text("[" + replayed("AAA", 21) + "," + replayed("BBB", 22) + "," + quote("AAA", 23, false) + "]");

        ledger.reconnected();
        ledger.resumePoint().resumeCommand("{\"op\":\"subscribe\"}");
        text("[{\"type\":\"subscribed\",\"epoch\":4,\"recovered\":false,\"reason\":\"too-old\"}]");
        text("[" + quote("AAA", 30, true) + "," + quote("BBB", 31, true) + "]");

        assertEquals(1, counters.resumesRecovered.sum());
        assertEquals(Map.of("too-old", 1L), counters.resumesNotRecovered());
        assertEquals(2, counters.replayed.sum());
        assertEquals(0, ledger.seqViolations());
        assertEquals(31, ledger.resumePoint().highestSeq());
    }

    @Test
    void shouldNotCountADuplicateAfterARecoveredResumeAsDelivered() {
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\"],\"epoch\":4}]");
        text("[" + quote("AAA", 10, false) + "]");
        ledger.reconnected();
        ledger.resumePoint().resumeCommand("{\"op\":\"subscribe\"}");
        text("[{\"type\":\"subscribed\",\"epoch\":4,\"recovered\":true}]");
        // seq 10 again: a replay that started at since instead of after it
        text("[" + replayed("AAA", 10) + "," + replayed("AAA", 11) + "]");

        assertEquals(1, ledger.seqViolations(), "after a recovered resume the order does not start over");
        assertEquals(2, counters.quotes.sum(), "10 once, 11 once: the duplicate is not counted as received");
    }

    @Test
    void shouldLetOrderStartOverAfterAPlainResubscribe() {
        text("[{\"type\":\"subscribed\",\"symbols\":[\"AAA\"],\"epoch\":4}]");
        text("[" + quote("AAA", 10, false) + "]");
        ledger.reconnected();
        // a server that lags its feed a little may hold an older last quote than the client saw elsewhere
        text("[{\"type\":\"subscribed\",\"epoch\":4}]");
        text("[" + quote("AAA", 9, true) + "," + quote("AAA", 12, false) + "]");

        assertEquals(0, ledger.seqViolations());
        assertEquals(1, counters.seqRebases.sum());
    }

    @Test
    void shouldReadAResetFromABinaryEventRecord() {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(quoteRecord("AAA", 700));
        frame.writeBytes(eventRecord("{\"type\":\"reset\",\"epoch\":9}"));
        frame.writeBytes(quoteRecord("AAA", 1));
        binary(frame.toByteArray());

        assertEquals(0, ledger.seqViolations());
        assertEquals(1, counters.feedResets());
        assertEquals(List.of(9L), counters.epochs());
    }

    private void text(final String frame) {
        ledger.frame(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)), json);
    }

    private void binary(final byte[] frame) {
        ledger.frame(Unpooled.wrappedBuffer(frame), binary);
    }

    private static String quote(final String symbol, final long seq, final boolean snapshot) {
        return "{\"type\":\"quote\",\"symbol\":\"" + symbol + "\",\"seq\":" + seq + ",\"ts\":" + (1_000 + seq)
            + (snapshot ? ",\"snapshot\":true" : "") + "}";
    }

    private static String replayed(final String symbol, final long seq) {
        return quote(symbol, seq, false).replace("}", ",\"replayed\":true}");
    }

    private static byte[] quoteRecord(final String symbol, final long seq) {
        final byte[] record = new byte[BinaryRecords.QUOTE_LENGTH];
        final Quote quote = new Quote();
        quote.timestampMicros = 1_000 + seq;
        QuoteBinaryEncoder.encode(record, 0, symbol.getBytes(StandardCharsets.US_ASCII), seq, quote);
        return record;
    }

    private static byte[] eventRecord(final String json) {
        final byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        final byte[] record = new byte[BinaryRecords.eventLength(utf8.length)];
        QuoteBinaryEncoder.putEvent(record, 0, utf8, 0, utf8.length);
        return record;
    }
}
