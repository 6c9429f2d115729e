package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BinaryRecordReaderTest {
    private static final byte[] PONG = "{\"type\":\"pong\",\"id\":\"p\",\"ts\":5}".getBytes(StandardCharsets.UTF_8);

    /** A frame as the server sends it: an event, two quotes (the second a snapshot), another event. */
    private static byte[] mixedFrame() {
        final byte[] frame = new byte[2 * BinaryRecords.eventLength(PONG.length) + 2 * BinaryRecords.QUOTE_LENGTH];
        int end = QuoteBinaryEncoder.putEvent(frame, 0, PONG, 0, PONG.length);
        final Quote quote = QuoteBinaryEncoderTest.sampleQuote();
        end = QuoteBinaryEncoder.encode(frame, end, "MSFT".getBytes(StandardCharsets.US_ASCII), 7, quote);
        final byte[] stored = QuoteBinaryEncoderTest.sampleRecord();
        end = QuoteBinaryEncoder.putWithSnapshot(frame, end, stored, 0);
        end = QuoteBinaryEncoder.putEvent(frame, end, PONG, 0, PONG.length);
        assertEquals(frame.length, end);
        return frame;
    }

    @Test
    void shouldReadRecordsInOrder() {
        final BinaryRecordReader reader = new BinaryRecordReader().wrap(mixedFrame(), 0, mixedFrame().length);
        assertEquals(BinaryRecords.TYPE_EVENT, reader.next());
        assertEquals(new String(PONG, StandardCharsets.UTF_8), reader.eventJson());
        assertEquals(BinaryRecords.TYPE_QUOTE, reader.next());
        assertEquals("MSFT", reader.symbol());
        assertEquals(7, reader.seq());
        assertFalse(reader.isSnapshot());
        assertEquals(BinaryRecords.TYPE_QUOTE, reader.next());
        assertEquals("AAPL", reader.symbol());
        assertEquals(1042, reader.seq());
        assertTrue(reader.isSnapshot());
        assertEquals(BinaryRecords.TYPE_EVENT, reader.next());
        assertFalse(reader.hasNext());
        assertThrows(IllegalStateException.class, reader::next);
    }

    @Test
    void shouldReadHeapAndDirectBuffersWithoutMovingThem() {
        final byte[] frame = mixedFrame();
        final ByteBuffer heap = ByteBuffer.allocate(frame.length + 4).position(4).put(frame).position(4);
        final ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        // the buffer's own byte order does not matter: the layout is little-endian whatever it says
        direct.order(ByteOrder.BIG_ENDIAN);
        for (final ByteBuffer buffer : new ByteBuffer[] {heap, direct}) {
            final int position = buffer.position();
            final BinaryRecordReader reader = new BinaryRecordReader().wrap(buffer);
            int quotes = 0;
            long seqs = 0;
            while (reader.hasNext()) {
                if (reader.next() == BinaryRecords.TYPE_QUOTE) {
                    quotes++;
                    seqs += reader.seq();
                }
            }
            assertEquals(2, quotes);
            assertEquals(7 + 1042, seqs);
            assertEquals(position, buffer.position());
        }
    }

    @Test
    void shouldRefuseATruncatedHeader() {
        final byte[] frame = Arrays.copyOf(QuoteBinaryEncoderTest.sampleRecord(), BinaryRecords.QUOTE_LENGTH + 5);
        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, frame.length);
        reader.next();
        final MalformedRecordException e = assertThrows(MalformedRecordException.class, reader::next);
        assertEquals(104, e.offset());
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        assertFalse(reader.hasNext(), "a bad frame is not read further");
    }

    @Test
    void shouldRefuseATruncatedRecord() {
        final byte[] record = QuoteBinaryEncoderTest.sampleRecord();
        final MalformedRecordException e = assertMalformed(Arrays.copyOf(record, 100));
        assertTrue(e.getMessage().contains("truncated record: length 104 but 100 bytes left"), e.getMessage());
    }

    @Test
    void shouldRefuseLengthsThatDoNotFitTheHeaderOrTheType() {
        final byte[] tooShort = QuoteBinaryEncoderTest.sampleRecord();
        tooShort[0] = 7;
        assertTrue(assertMalformed(tooShort).getMessage().contains("shorter than the header"));

        final byte[] huge = QuoteBinaryEncoderTest.sampleRecord();
        huge[3] = (byte) 0xff;
        assertTrue(assertMalformed(huge).getMessage().contains("length 4278190184"));

        final byte[] wrongForQuote = Arrays.copyOf(QuoteBinaryEncoderTest.sampleRecord(), 112);
        wrongForQuote[0] = 112;
        assertTrue(assertMalformed(wrongForQuote).getMessage().contains("quote record length 112, must be 104"));
    }

    @Test
    void shouldRefuseAnUnknownTypeAndUndefinedBits() {
        final byte[] unknown = QuoteBinaryEncoderTest.sampleRecord();
        unknown[BinaryRecords.TYPE_OFFSET] = 9;
        assertTrue(assertMalformed(unknown).getMessage().contains("unknown record type 9"));

        final byte[] reserved = QuoteBinaryEncoderTest.sampleRecord();
        reserved[BinaryRecords.RESERVED_OFFSET] = 1;
        assertTrue(assertMalformed(reserved).getMessage().contains("reserved"));

        final byte[] flags = QuoteBinaryEncoderTest.sampleRecord();
        flags[BinaryRecords.FLAGS_OFFSET] = 4;
        assertTrue(assertMalformed(flags).getMessage().contains("undefined quote flags 0x4"));
    }

    @Test
    void shouldRefuseABadSymbolField() {
        final byte[] empty = QuoteBinaryEncoderTest.sampleRecord();
        empty[BinaryRecords.SYMBOL_LENGTH_OFFSET] = 0;
        assertTrue(assertMalformed(empty).getMessage().contains("symbol length 0"));

        final byte[] tooLong = QuoteBinaryEncoderTest.sampleRecord();
        tooLong[BinaryRecords.SYMBOL_LENGTH_OFFSET] = 17;
        assertTrue(assertMalformed(tooLong).getMessage().contains("symbol length 17"));

        final byte[] dirty = QuoteBinaryEncoderTest.sampleRecord();
        dirty[BinaryRecords.SYMBOL_OFFSET + 15] = 'X';
        assertTrue(assertMalformed(dirty).getMessage().contains("padding"));
    }

    @Test
    void shouldRefuseAnEventRecordWithoutAnObject() {
        final byte[] text = "[1]".getBytes(StandardCharsets.UTF_8);
        final byte[] frame = new byte[BinaryRecords.eventLength(text.length)];
        QuoteBinaryEncoder.putEvent(frame, 0, text, 0, text.length);
        assertTrue(assertMalformed(frame).getMessage().contains("JSON object"));
        final byte[] bare = new byte[BinaryRecords.HEADER_LENGTH];
        QuoteBinaryEncoder.putEvent(bare, 0, text, 0, 0);
        assertTrue(assertMalformed(bare).getMessage().contains("JSON object"));
    }

    @Test
    void shouldReportTheOffsetOfTheBadRecordWithinTheFrame() {
        final byte[] frame = mixedFrame();
        final int quoteStart = BinaryRecords.eventLength(PONG.length);
        frame[quoteStart + BinaryRecords.TYPE_OFFSET] = 0;
        final byte[] padded = new byte[frame.length + 10];
        System.arraycopy(frame, 0, padded, 10, frame.length);
        final BinaryRecordReader reader = new BinaryRecordReader().wrap(padded, 10, frame.length);
        reader.next();
        assertEquals(quoteStart, assertThrows(MalformedRecordException.class, reader::next).offset());
    }

    @Test
    void shouldNotReadQuoteFieldsOfAnEvent() {
        final byte[] frame = mixedFrame();
        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, frame.length);
        reader.next();
        assertThrows(IllegalStateException.class, reader::seq);
        reader.next();
        assertThrows(IllegalStateException.class, reader::eventJson);
    }

    @Test
    void shouldReadQuotesWithoutAllocating() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final ByteBuffer direct = ByteBuffer.allocateDirect(4 * BinaryRecords.QUOTE_LENGTH);
        final byte[] record = QuoteBinaryEncoderTest.sampleRecord();
        for (int i = 0; i < 4; i++) {
            direct.put(record);
        }
        direct.flip();
        final BinaryRecordReader reader = new BinaryRecordReader();
        final Quote quote = new Quote();
        final int frames = 20_000;
        long sum = readAll(reader, direct, quote, frames);
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        sum += readAll(reader, direct, quote, frames);
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertEquals(2L * 4 * frames * 1042, sum);
        // under a byte per quote: the JIT may charge this thread a little while it compiles, one object per quote
        // would be 16 bytes or more each
        assertTrue(allocated < 4L * frames, "allocated " + allocated + " bytes for " + 4 * frames + " quotes");
    }

    private static long readAll(
        final BinaryRecordReader reader, final ByteBuffer frame, final Quote quote, final int frames) {
        long sum = 0;
        for (int f = 0; f < frames; f++) {
            reader.wrap(frame);
            while (reader.hasNext()) {
                reader.next();
                sum += reader.seq() + reader.conflated();
                reader.decodeQuote(quote);
            }
        }
        return sum;
    }

    private static MalformedRecordException assertMalformed(final byte[] frame) {
        final BinaryRecordReader reader = new BinaryRecordReader().wrap(frame, 0, frame.length);
        final MalformedRecordException e = assertThrows(MalformedRecordException.class, reader::next);
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().startsWith("malformed ticker.v1.binary record at offset 0: "), e.getMessage());
        return e;
    }
}
