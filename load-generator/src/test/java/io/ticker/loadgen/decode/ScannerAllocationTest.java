package io.ticker.loadgen.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ticker.loadgen.measure.SeqTracker;
import io.ticker.protocol.BinaryFrameScanner;
import io.ticker.protocol.EventType;
import io.ticker.protocol.FrameListener;
import io.ticker.protocol.JsonFrameScanner;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quote path (scan, symbol lookup, seq check) must not allocate per quote, JSON or binary: measured. */
class ScannerAllocationTest {
    private static final int FRAMES = 20_000;

    @Test
    void shouldScanQuotesWithoutAllocating() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final SymbolTable symbols = new SymbolTable(List.of("AAPL", "MSFT", "S0001"));
        final CountingListener listener = new CountingListener(symbols);
        final ByteBufScanner scanner = new ByteBufScanner(new JsonFrameScanner());
        final ByteBuf frame = Unpooled.directBuffer().writeBytes(("[{\"type\":\"quote\",\"symbol\":\"AAPL\","
            + "\"seq\":1,\"bid\":189.12,\"bidSize\":300,\"ask\":189.14,\"askSize\":200,\"last\":189.13,"
            + "\"lastSize\":100,\"volume\":1234500,\"ts\":1763800000123456},{\"type\":\"quote\",\"symbol\":\"MSFT\","
            + "\"seq\":2,\"bid\":420.5,\"bidSize\":100,\"ask\":420.6,\"askSize\":100,\"last\":420.55,\"lastSize\":10,"
            + "\"volume\":77,\"ts\":1763800000123999,\"conflated\":3}]").getBytes(StandardCharsets.US_ASCII));

        for (int i = 0; i < FRAMES; i++) {
            scanner.scan(frame, listener);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < FRAMES; i++) {
            scanner.scan(frame, listener);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(4L * FRAMES, listener.quotes);
        // Under one byte per quote: the JIT may charge this thread a few kilobytes while it compiles (seen: 5 KB over
        // 40,000 quotes), but a single allocation per quote, 16 bytes at least, would be 640 KB here.
        final long quotes = 2L * FRAMES;
        assertTrue(allocated < quotes, "allocated " + allocated + " bytes for " + quotes + " quotes");
        frame.release();
    }

    @Test
    void shouldScanBinaryQuotesWithoutAllocating() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final SymbolTable symbols = new SymbolTable(List.of("AAPL", "MSFT", "S0001"));
        final CountingListener listener = new CountingListener(symbols);
        final ByteBufScanner scanner = new ByteBufScanner(new BinaryFrameScanner());
        final ByteBuf frame = Unpooled.directBuffer()
            .writeBytes(BinaryFrameScannerTest.quoteRecord("AAPL".getBytes(StandardCharsets.US_ASCII), 1,
                BinaryFrameScannerTest.quote(1_763_800_000_123_456L)))
            .writeBytes(BinaryFrameScannerTest.quoteRecord("MSFT".getBytes(StandardCharsets.US_ASCII), 2,
                BinaryFrameScannerTest.quote(1_763_800_000_123_999L)));

        for (int i = 0; i < FRAMES; i++) {
            scanner.scan(frame, listener);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < FRAMES; i++) {
            scanner.scan(frame, listener);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertEquals(4L * FRAMES, listener.quotes);
        final long quotes = 2L * FRAMES;
        assertTrue(allocated < quotes, "allocated " + allocated + " bytes for " + quotes + " quotes");
        frame.release();
    }

    /** Does what a subscriber does per quote: symbol id, seq check, a running sum. */
    private static final class CountingListener implements FrameListener {
        private final SymbolTable symbols;
        private final SeqTracker seqs = new SeqTracker(4);
        private long quotes;
        private long sum;

        CountingListener(final SymbolTable symbols) {
            this.symbols = symbols;
        }

        @Override
        public void onQuote(final byte[] frame, final int symbolOffset, final int symbolLength, final long seq,
            final long tsMicros, final boolean snapshot, final long conflated) {
            final int id = symbols.find(frame, symbolOffset, symbolLength);
            seqs.advance(id, seq, tsMicros);
            sum += tsMicros + conflated;
            quotes++;
        }

        @Override
        public void onAck(final EventType type, final long epoch) {
        }

        @Override
        public void onReset(final long epoch) {
        }

        @Override
        public void onPong(final long tsMicros) {
        }

        @Override
        public void onError(final String code) {
        }

        @Override
        public void onUnknownEvent() {
        }

        @Override
        public void onMalformed(final String reason) {
        }
    }
}
