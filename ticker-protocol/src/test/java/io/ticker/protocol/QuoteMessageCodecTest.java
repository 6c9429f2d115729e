package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Pins the feed message layout of docs/FEED.md byte for byte: a change here is a change of the wire. */
class QuoteMessageCodecTest {
    private static Quote sampleQuote() {
        final Quote quote = new Quote();
        quote.symbolId = 0x0102;
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
    void shouldLayOutAQuoteAsDocumented() {
        final byte[] buffer = new byte[QuoteMessageCodec.LENGTH + 3];
        final int end = QuoteMessageCodec.encodeQuote(buffer, 3, QuoteMessageCodec.TYPE_QUOTE, 1042, sampleQuote());
        assertEquals(3 + 80, end);
        final String hex = HexFormat.of().formatHex(buffer, 3, end);
        assertEquals(
            "01010000" + "02010000"           // type 1, version 1, flags 0; symbol id 0x102
                + "1204000000000000"          // seq 1042
                + "80db1c0000000000"          // bid 1891200 (189.12)
                + "2c01000000000000"          // bid size 300
                + "48dc1c0000000000"          // ask 1891400
                + "c800000000000000"          // ask size 200
                + "e4db1c0000000000"          // last 1891300
                + "6400000000000000"          // last size 100
                + "44d6120000000000"          // volume 1234500
                + "405276b02a440600",         // ts 1763800000123456
            hex);
        assertEquals(QuoteMessageCodec.TYPE_QUOTE, QuoteMessageCodec.type(buffer, 3));
        assertEquals(1042, QuoteMessageCodec.seq(buffer, 3));
    }

    @Test
    void shouldDecodeWhatItEncodes() {
        final byte[] buffer = new byte[QuoteMessageCodec.LENGTH];
        final Quote original = sampleQuote();
        QuoteMessageCodec.encodeQuote(buffer, 0, QuoteMessageCodec.TYPE_SNAPSHOT, 7, original);
        final Quote decoded = QuoteMessageCodec.decodeQuote(buffer, 0, new Quote());
        assertEquals(original.toString(), decoded.toString());
        assertEquals(original.symbolId, decoded.symbolId);
        assertEquals(QuoteMessageCodec.TYPE_SNAPSHOT, QuoteMessageCodec.type(buffer, 0));
        assertEquals(7, QuoteMessageCodec.seq(buffer, 0));
    }

    @Test
    void shouldLayOutAHeartbeatAsDocumented() {
        final byte[] buffer = new byte[QuoteMessageCodec.LENGTH];
        QuoteMessageCodec.encodeHeartbeat(buffer, 0, 500, -1, 42, 0x1122334455667788L, 499, 0x0102030405060708L, 5);
        final String hex = HexFormat.of().formatHex(buffer);
        assertEquals("03010000" + "f4010000" + "ffffffffffffffff" + "2a00000000000000" + "8877665544332211"
            + "f301000000000000" + "0807060504030201" + "0".repeat(48) + "0500000000000000", hex);
        assertEquals(QuoteMessageCodec.TYPE_HEARTBEAT, QuoteMessageCodec.type(buffer, 0));
        assertEquals(500, QuoteMessageCodec.heartbeatSymbols(buffer, 0));
        assertEquals(-1, QuoteMessageCodec.seq(buffer, 0));
        assertEquals(42, QuoteMessageCodec.heartbeatSeed(buffer, 0));
        assertEquals(0x1122334455667788L, QuoteMessageCodec.heartbeatFingerprint(buffer, 0));
        assertEquals(499, QuoteMessageCodec.heartbeatSnapshotCount(buffer, 0));
        assertEquals(0x0102030405060708L, QuoteMessageCodec.heartbeatEpoch(buffer, 0));
        assertEquals(5, QuoteMessageCodec.timestampMicros(buffer, 0));
    }

    @Test
    void shouldRefuseAnotherVersion() {
        final byte[] buffer = new byte[QuoteMessageCodec.LENGTH];
        QuoteMessageCodec.encodeQuote(buffer, 0, QuoteMessageCodec.TYPE_QUOTE, 1, sampleQuote());
        buffer[QuoteMessageCodec.VERSION_OFFSET] = 2;
        assertEquals(0, QuoteMessageCodec.type(buffer, 0));
    }
}
