package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the {@code ticker.v1.binary} record layout of docs/PROTOCOL.md byte for byte: a change here is a new wire. */
class QuoteBinaryEncoderTest {
    private static final byte[] AAPL = "AAPL".getBytes(StandardCharsets.US_ASCII);

    static Quote sampleQuote() {
        final Quote quote = new Quote();
        quote.symbolId = 3;
        quote.bid = 1_891_200;
        quote.bidSize = 300;
        quote.ask = 1_891_400;
        quote.askSize = 200;
        quote.last = 1_891_300;
        quote.lastSize = 100;
        quote.volume = 1_234_500;
        quote.timestampMicros = 1_763_800_000_123_456L;
        return quote;
    }

    /** The contract's example quote, AAPL seq 1042, as one record. */
    static byte[] sampleRecord() {
        final byte[] record = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.encode(record, 0, AAPL, 1042, sampleQuote());
        return record;
    }

    @Test
    void shouldLayOutAQuoteAsDocumented() {
        final byte[] buffer = new byte[BinaryRecords.QUOTE_LENGTH + 5];
        Arrays.fill(buffer, (byte) 0x5a);
        final int end = QuoteBinaryEncoder.encode(buffer, 5, AAPL, 1042, sampleQuote());
        assertEquals(5 + 104, end);
        assertEquals(
            "68000000" + "01000400"                    // length 104; type 1 (quote), flags 0, symbol length 4, 0
                + "4141504c000000000000000000000000"   // "AAPL", zero-padded to 16 bytes
                + "1204000000000000"                   // seq 1042
                + "405276b02a440600"                   // ts 1763800000123456
                + "80db1c0000000000"                   // bid 1891200 (189.12)
                + "48dc1c0000000000"                   // ask 1891400 (189.14)
                + "e4db1c0000000000"                   // last 1891300 (189.13)
                + "2c01000000000000"                   // bid size 300
                + "c800000000000000"                   // ask size 200
                + "6400000000000000"                   // last size 100
                + "44d6120000000000"                   // volume 1234500
                + "0000000000000000",                  // conflated 0
            HexFormat.of().formatHex(buffer, 5, end));
        assertEquals(0x5a, buffer[4], "nothing written before the offset");
    }

    @Test
    void shouldRoundTripEveryFieldOfTheQuote() {
        final Quote quote = sampleQuote();
        final byte[] frame = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.encode(frame, 0, AAPL, 1042, quote);

        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, frame.length);
        assertEquals(BinaryRecords.TYPE_QUOTE, reader.next());
        assertEquals("AAPL", reader.symbol());
        assertEquals(1042, reader.seq());
        assertEquals(quote.timestampMicros, reader.timestampMicros());
        assertEquals(quote.bid, reader.bid());
        assertEquals(quote.ask, reader.ask());
        assertEquals(quote.last, reader.last());
        assertEquals(quote.bidSize, reader.bidSize());
        assertEquals(quote.askSize, reader.askSize());
        assertEquals(quote.lastSize, reader.lastSize());
        assertEquals(quote.volume, reader.volume());
        assertEquals(0, reader.conflated());
        assertFalse(reader.isSnapshot());
        final Quote decoded = reader.decodeQuote(new Quote());
        decoded.symbolId = quote.symbolId;
        assertEquals(quote.toString(), decoded.toString());
        assertFalse(reader.hasNext());
    }

    @Test
    void shouldCarryTheLongestSymbolAndExtremeValues() {
        final Quote quote = sampleQuote();
        // prices are never negative on the feed; the record carries any signed 64-bit value unchanged all the same
        quote.bid = Long.MAX_VALUE;
        quote.ask = Long.MIN_VALUE;
        quote.last = 1;
        quote.bidSize = Long.MAX_VALUE;
        quote.askSize = 0;
        quote.lastSize = -1;
        quote.volume = 9_000_000_000_000_000_000L;
        quote.timestampMicros = Long.MAX_VALUE;
        final byte[] symbol = "ABCDEFGHIJKLMNOP".getBytes(StandardCharsets.US_ASCII);
        final byte[] frame = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.encode(frame, 0, symbol, Long.MAX_VALUE, quote);

        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, frame.length);
        reader.next();
        assertEquals("ABCDEFGHIJKLMNOP", reader.symbol());
        assertEquals(16, reader.symbolLength());
        assertEquals(Long.MAX_VALUE, reader.seq());
        assertEquals(Long.MAX_VALUE, reader.bid());
        assertEquals(Long.MIN_VALUE, reader.ask());
        assertEquals(1, reader.last());
        assertEquals(-1, reader.lastSize());
        assertEquals(9_000_000_000_000_000_000L, reader.volume());
        assertEquals(Long.MAX_VALUE, reader.timestampMicros());
    }

    @Test
    void shouldZeroThePaddingWhateverTheBufferHeldBefore() {
        final byte[] frame = new byte[BinaryRecords.QUOTE_LENGTH];
        Arrays.fill(frame, (byte) 0xff);
        QuoteBinaryEncoder.encode(frame, 0, "F".getBytes(StandardCharsets.US_ASCII), 1, sampleQuote());
        final byte[] field = Arrays.copyOfRange(frame, BinaryRecords.SYMBOL_OFFSET,
            BinaryRecords.SYMBOL_OFFSET + BinaryRecords.SYMBOL_CAPACITY);
        final byte[] expected = new byte[BinaryRecords.SYMBOL_CAPACITY];
        expected[0] = 'F';
        assertArrayEquals(expected, field);
        assertEquals(0, frame[BinaryRecords.RESERVED_OFFSET]);
        assertEquals(BinaryRecords.TYPE_QUOTE, new BinaryRecordReader().wrap(frame, 0, frame.length).next());
    }

    @Test
    void shouldRefuseASymbolTheRecordCannotHold() {
        final byte[] frame = new byte[BinaryRecords.QUOTE_LENGTH];
        final byte[] tooLong = "ABCDEFGHIJKLMNOPQ".getBytes(StandardCharsets.US_ASCII);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> QuoteBinaryEncoder.encode(frame, 0, tooLong, 1, sampleQuote()));
        assertTrue(e.getMessage().contains("1-16"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> QuoteBinaryEncoder.encode(frame, 0, new byte[0], 1, sampleQuote()));
    }

    @Test
    void shouldMarkACopyAsSnapshotOrConflatedAndLeaveTheOriginalAlone() {
        final byte[] stored = sampleRecord();
        final byte[] original = stored.clone();
        final byte[] out = new byte[2 * BinaryRecords.QUOTE_LENGTH + 3];

        int end = QuoteBinaryEncoder.putWithSnapshot(out, 3, stored, 0);
        end = QuoteBinaryEncoder.putWithConflated(out, end, stored, 0, 12);
        assertEquals(out.length, end);
        assertArrayEquals(original, stored);

        final BinaryRecordReader reader = new BinaryRecordReader().wrap(out, 3, end - 3);
        reader.next();
        assertTrue(reader.isSnapshot());
        assertEquals(0, reader.conflated());
        assertEquals(1042, reader.seq());
        assertEquals(BinaryRecords.FLAG_SNAPSHOT, out[3 + BinaryRecords.FLAGS_OFFSET]);
        reader.next();
        assertFalse(reader.isSnapshot());
        assertEquals(12, reader.conflated());
        assertEquals(1_891_200, reader.bid());
        assertFalse(reader.hasNext());
    }

    @Test
    void shouldMarkACopyAsReplayedWithBit1AndKeepTheConflatedCountOfALaterCopy() {
        final byte[] stored = sampleRecord();
        final byte[] replayed = new byte[BinaryRecords.QUOTE_LENGTH];
        assertEquals(BinaryRecords.QUOTE_LENGTH, QuoteBinaryEncoder.putWithReplayed(replayed, 0, stored, 0));
        assertEquals(0x02, replayed[BinaryRecords.FLAGS_OFFSET]);
        final byte[] out = new byte[BinaryRecords.QUOTE_LENGTH];
        QuoteBinaryEncoder.putWithConflated(out, 0, replayed, 0, 5);

        final BinaryRecordReader reader = new BinaryRecordReader().wrap(out, 0, out.length);
        reader.next();
        assertTrue(reader.isReplayed());
        assertFalse(reader.isSnapshot());
        assertEquals(5, reader.conflated());
        assertEquals(1042, reader.seq());
    }

    @Test
    void shouldWrapAnEventObjectInARecordOfItsLength() {
        final String json = EventJson.subscribed("\"r1\"", List.of("AAPL", "MSFT"));
        final byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[BinaryRecords.eventLength(utf8.length)];
        final int end = QuoteBinaryEncoder.putEvent(frame, 0, utf8, 0, utf8.length);
        assertEquals(8 + utf8.length, end);
        assertEquals(String.format("%02x000000", 8 + utf8.length) + "02000000",
            HexFormat.of().formatHex(frame, 0, 8));

        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, end);
        assertEquals(BinaryRecords.TYPE_EVENT, reader.next());
        assertEquals(json, reader.eventJson());
        final Map<?, ?> event = (Map<?, ?>) JsonParser.parse(reader.eventJson());
        assertEquals("subscribed", event.get("type"));
        assertEquals("r1", event.get("id"));
    }

    @Test
    void shouldCarryNonAsciiEventTextAsUtf8() {
        final String json = EventJson.error(null, ErrorCode.UNKNOWN_SYMBOL, "unknown symbol ÄÖ€");
        final byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[BinaryRecords.eventLength(utf8.length)];
        QuoteBinaryEncoder.putEvent(frame, 0, utf8, 0, utf8.length);
        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, frame.length);
        reader.next();
        assertEquals(json, reader.eventJson());
        assertEquals(utf8.length, reader.eventJsonLength());
    }

    /** The dump in docs/PROTOCOL.md is this encoder's output for the contract's example quote, line for line. */
    @Test
    void shouldMatchTheHexDumpInTheProtocolDocument() throws IOException {
        final Path doc = Path.of("..", "docs", "PROTOCOL.md");
        final String text = Files.readString(doc, StandardCharsets.UTF_8);
        for (final String line : hexDumpLines(sampleRecord())) {
            assertTrue(text.contains("\n" + line + " "), "docs/PROTOCOL.md lacks the dump line: " + line);
        }
    }

    /** Eight bytes a line, each line one field or two header words: {@code " 24  12 04 00 00 00 00 00 00"}. */
    static List<String> hexDumpLines(final byte[] record) {
        final HexFormat hex = HexFormat.ofDelimiter(" ");
        final String[] lines = new String[record.length / 8];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = String.format("%3d  %s", i * 8, hex.formatHex(record, i * 8, i * 8 + 8));
        }
        return List.of(lines);
    }
}
