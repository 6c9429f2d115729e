package io.ticker.loadgen.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ticker.protocol.BinaryFrameScanner;
import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.ErrorCode;
import io.ticker.protocol.EventJson;
import io.ticker.protocol.JsonFrameScanner;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteBinaryEncoder;
import io.ticker.protocol.QuoteJsonEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryFrameScannerTest {
    /**
     * A frame as the wire carries it, written out by hand from docs/PROTOCOL.md rather than by the encoder: the
     * {@code subscribed} event record, then the AAPL quote of the document's example as a snapshot.
     */
    private static final String SUBSCRIBED_AND_SNAPSHOT_HEX =
        "3a000000" + "02000000"
            + HexFormat.of().formatHex("{\"type\":\"subscribed\",\"id\":\"r1\",\"symbols\":[\"AAPL\"]}"
                .getBytes(StandardCharsets.UTF_8))
            + "68000000" + "01010400" + "4141504c000000000000000000000000" + "1204000000000000" + "405276b02a440600"
            + "80db1c0000000000" + "48dc1c0000000000" + "e4db1c0000000000" + "2c01000000000000" + "c800000000000000"
            + "6400000000000000" + "44d6120000000000" + "0000000000000000";

    private final ByteBufScanner scanner = new ByteBufScanner(new BinaryFrameScanner());
    private final RecordingListener events = new RecordingListener();

    @Test
    void shouldReportAnEventRecordAndASnapshotQuoteFromAWireFrame() {
        final int count = scanner.scan(Unpooled.wrappedBuffer(HexFormat.of().parseHex(SUBSCRIBED_AND_SNAPSHOT_HEX)),
            events);
        assertEquals(2, count);
        assertEquals(List.of("ack SUBSCRIBED", "quote AAPL 1042 1763800000123456 true 0"), events.log);
    }

    @Test
    void shouldReportWhatTheJsonScannerReportsForTheSameEvents() {
        final Quote quote = quote(1_763_800_000_123_456L);
        final byte[] aapl = "AAPL".getBytes(StandardCharsets.US_ASCII);
        final byte[] msft = "MSFT".getBytes(StandardCharsets.US_ASCII);
        final String pong = EventJson.pong("\"p1\"", 1_763_800_000_999_999L);
        final String error = EventJson.error("7", ErrorCode.UNKNOWN_SYMBOL, "unknown symbol ZZZ");

        final byte[] stored = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.encode(stored, 0, msft, 44, quote);
        final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        binary.writeBytes(eventRecord(pong));
        binary.writeBytes(quoteRecord(aapl, 43, quote));
        final byte[] conflated = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.putWithConflated(conflated, 0, stored, 0, 5);
        binary.writeBytes(conflated);
        binary.writeBytes(eventRecord(error));

        final byte[] json = new byte[4 * QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        int end = 0;
        json[end++] = '[';
        end = put(json, end, pong);
        json[end++] = ',';
        end = QuoteJsonEncoder.encode(json, end, aapl, 43, quote);
        json[end++] = ',';
        final byte[] storedJson = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        final int storedLength = QuoteJsonEncoder.encode(storedJson, 0, msft, 44, quote);
        end = QuoteJsonEncoder.putWithConflated(json, end, storedJson, 0, storedLength, 5);
        json[end++] = ',';
        end = put(json, end, error);
        json[end++] = ']';

        final RecordingListener fromJson = new RecordingListener();
        new ByteBufScanner(new JsonFrameScanner()).scan(Unpooled.wrappedBuffer(json, 0, end), fromJson);
        assertEquals(4, scanner.scan(Unpooled.wrappedBuffer(binary.toByteArray()), events));
        assertEquals(List.of("pong 1763800000999999", "quote AAPL 43 1763800000123456 false 0",
            "quote MSFT 44 1763800000123456 false 5", "error UNKNOWN_SYMBOL"), events.log);
        assertEquals(fromJson.log, events.log);
    }

    @Test
    void shouldReadTheReplayedFlagBesideTheSnapshotFlag() {
        final byte[] replayed = quoteRecord("A".getBytes(StandardCharsets.US_ASCII), 1, quote(2));
        replayed[BinaryRecords.FLAGS_OFFSET] = BinaryRecords.FLAG_REPLAYED;
        final byte[] both = quoteRecord("B".getBytes(StandardCharsets.US_ASCII), 3, quote(4));
        both[BinaryRecords.FLAGS_OFFSET] = BinaryRecords.FLAG_REPLAYED | BinaryRecords.FLAG_SNAPSHOT;
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(eventRecord("{\"type\":\"subscribed\",\"epoch\":9,\"recovered\":true}"));
        frame.writeBytes(replayed);
        frame.writeBytes(both);

        assertEquals(3, scanner.scan(Unpooled.wrappedBuffer(frame.toByteArray()), events));
        assertEquals(List.of("ack SUBSCRIBED epoch 9 RECOVERED", "quote A 1 2 false 0 replayed",
            "quote B 3 4 true 0 replayed"), events.log);
    }

    @Test
    void shouldReadADirectBufferAndLeaveItsReaderIndex() {
        final byte[] bytes = HexFormat.of().parseHex(SUBSCRIBED_AND_SNAPSHOT_HEX);
        final ByteBuf direct = Unpooled.directBuffer(bytes.length + 3).writeBytes(new byte[3]).writeBytes(bytes);
        direct.readerIndex(3);
        assertEquals(2, scanner.scan(direct, events));
        assertEquals(3, direct.readerIndex());
        direct.release();
    }

    @Test
    void shouldReportABrokenFrameOnceAndKeepTheRecordsBeforeIt() {
        final byte[] good = quoteRecord("A".getBytes(StandardCharsets.US_ASCII), 1, quote(2));
        final byte[] frame = new byte[good.length + 20];
        System.arraycopy(good, 0, frame, 0, good.length);
        // a header claiming 104 bytes with only 20 left
        System.arraycopy(good, 0, frame, good.length, 8);

        assertEquals(1, scanner.scan(Unpooled.wrappedBuffer(frame), events));
        assertEquals(List.of("quote A 1 2 false 0", "malformed"), events.log);
        assertTrue(events.malformedReasons.get(0).contains("truncated record"), events.malformedReasons.toString());
    }

    @Test
    void shouldReportAnUnknownTypeAnEmptyFrameAndABadEventObjectAsMalformed() {
        final byte[] unknown = quoteRecord("A".getBytes(StandardCharsets.US_ASCII), 1, quote(2));
        unknown[BinaryRecords.TYPE_OFFSET] = 3;
        scanner.scan(Unpooled.wrappedBuffer(unknown), events);
        scanner.scan(Unpooled.EMPTY_BUFFER, events);
        scanner.scan(Unpooled.wrappedBuffer(eventRecord("{\"type\":\"pong\",}")), events);

        assertEquals(List.of("malformed", "malformed", "malformed"), events.log);
        assertTrue(events.malformedReasons.get(0).contains("unknown record type 3"));
        assertTrue(events.malformedReasons.get(1).contains("empty"));
    }

    @Test
    void shouldCountAnEventOfAnUnknownTypeAndCarryOn() {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.writeBytes(eventRecord("{\"type\":\"news\",\"text\":\"hi\"}"));
        frame.writeBytes(quoteRecord("B".getBytes(StandardCharsets.US_ASCII), 9, quote(10)));
        assertEquals(2, scanner.scan(Unpooled.wrappedBuffer(frame.toByteArray()), events));
        assertEquals(List.of("unknown", "quote B 9 10 false 0"), events.log);
    }

    static Quote quote(final long tsMicros) {
        final Quote quote = new Quote();
        quote.bid = 1_891_200;
        quote.bidSize = 300;
        quote.ask = 1_891_400;
        quote.askSize = 200;
        quote.last = 1_891_300;
        quote.lastSize = 100;
        quote.volume = 1_234_500;
        quote.timestampMicros = tsMicros;
        return quote;
    }

    static byte[] quoteRecord(final byte[] symbol, final long seq, final Quote quote) {
        final byte[] record = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.encode(record, 0, symbol, seq, quote);
        return record;
    }

    static byte[] eventRecord(final String json) {
        final byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        final byte[] record = new byte[BinaryRecords.eventLength(utf8.length)];
        QuoteBinaryEncoder.putEvent(record, 0, utf8, 0, utf8.length);
        return record;
    }

    private static int put(final byte[] dst, final int offset, final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, dst, offset, bytes.length);
        return offset + bytes.length;
    }
}
