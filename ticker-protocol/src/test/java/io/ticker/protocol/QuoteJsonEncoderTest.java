package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuoteJsonEncoderTest {
    private static final byte[] AAPL = "AAPL".getBytes(StandardCharsets.US_ASCII);

    private static Quote sampleQuote() {
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

    @Test
    void shouldEncodeTheContractsQuoteEventExactly() {
        final byte[] buffer = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        final int end = QuoteJsonEncoder.encode(buffer, 0, AAPL, 1042, sampleQuote());
        assertEquals("{\"type\":\"quote\",\"symbol\":\"AAPL\",\"seq\":1042,\"bid\":189.12,\"bidSize\":300,"
            + "\"ask\":189.14,\"askSize\":200,\"last\":189.13,\"lastSize\":100,\"volume\":1234500,"
            + "\"ts\":1763800000123456}", new String(buffer, 0, end, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldSpliceSnapshotAndConflatedMarkersIntoValidJson() {
        final byte[] encoded = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        final int length = QuoteJsonEncoder.encode(encoded, 0, AAPL, 7, sampleQuote());
        final byte[] out = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];

        final int snapshotEnd = QuoteJsonEncoder.putWithSnapshot(out, 0, encoded, 0, length);
        final Map<?, ?> snapshot = (Map<?, ?>) JsonParser.parse(new String(out, 0, snapshotEnd,
            StandardCharsets.US_ASCII));
        assertEquals(Boolean.TRUE, snapshot.get("snapshot"));
        assertEquals(new BigDecimal("189.12"), snapshot.get("bid"));

        final int conflatedEnd = QuoteJsonEncoder.putWithConflated(out, 0, encoded, 0, length, 12);
        final Map<?, ?> conflated = (Map<?, ?>) JsonParser.parse(new String(out, 0, conflatedEnd,
            StandardCharsets.US_ASCII));
        assertEquals(new BigDecimal("12"), conflated.get("conflated"));
        assertEquals(new BigDecimal("7"), conflated.get("seq"));
    }

    @Test
    void shouldMarkAReplayedQuoteAndKeepItValidJsonWhenConflatedToo() {
        final byte[] symbol = "AAPL".getBytes(StandardCharsets.US_ASCII);
        final byte[] encoded = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        final int length = QuoteJsonEncoder.encodeReplayed(encoded, 0, symbol, 1042, sampleQuote());
        final Map<?, ?> replayed =
            (Map<?, ?>) JsonParser.parse(new String(encoded, 0, length, StandardCharsets.US_ASCII));
        assertEquals(Boolean.TRUE, replayed.get("replayed"));
        assertEquals(new BigDecimal(1042), replayed.get("seq"));
        final byte[] out = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH];
        final int end = QuoteJsonEncoder.putWithConflated(out, 0, encoded, 0, length, 3);
        final Map<?, ?> both =
            (Map<?, ?>) JsonParser.parse(new String(out, 0, end, StandardCharsets.US_ASCII));
        assertEquals(Boolean.TRUE, both.get("replayed"));
        assertEquals(new BigDecimal(3), both.get("conflated"));
    }

    @Test
    void shouldStayWithinTheDeclaredMaximumForExtremeValues() {
        final Quote quote = sampleQuote();
        quote.bid = Long.MAX_VALUE;
        quote.ask = Long.MIN_VALUE + 1;
        quote.last = Long.MAX_VALUE;
        quote.bidSize = Long.MAX_VALUE;
        quote.askSize = Long.MIN_VALUE;
        quote.lastSize = Long.MAX_VALUE;
        quote.volume = Long.MAX_VALUE;
        quote.timestampMicros = Long.MAX_VALUE;
        final byte[] symbol = "ABCDEFGHIJKLMNOP".getBytes(StandardCharsets.US_ASCII);
        final byte[] encoded = new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH * 2];
        // the most a quote carries: replayed and conflated
        final int length = QuoteJsonEncoder.encodeReplayed(encoded, 0, symbol, Long.MAX_VALUE, quote);
        final int end = QuoteJsonEncoder.putWithConflated(
            new byte[QuoteJsonEncoder.MAX_QUOTE_LENGTH * 2], 0, encoded, 0, length, Long.MAX_VALUE);
        assertTrue(end <= QuoteJsonEncoder.MAX_QUOTE_LENGTH, "encoded length " + end);
    }
}
