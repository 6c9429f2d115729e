package io.ticker.server.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DirectFrameSinkTest {
    @Test
    void shouldPickTheShortestLengthEncodingAndLeaveTheHeaderJustBeforeThePayload() {
        assertHeader(0, 2);
        assertHeader(125, 2);
        assertHeader(126, 4);
        assertHeader(65_535, 4);
        assertHeader(65_536, 10);
    }

    private static void assertHeader(final int payloadLength, final int headerLength) {
        final ByteBuffer frame = ByteBuffer.allocate(10 + payloadLength);
        frame.position(10);
        DirectFrameSink.putHeader(0x81, frame);
        assertEquals(10 - headerLength, frame.position(), "header of " + payloadLength);
        assertEquals(headerLength + payloadLength, frame.remaining());
        assertEquals((byte) 0x81, frame.get(frame.position()));
        final int second = frame.get(frame.position() + 1) & 0xFF;
        final long length = switch (headerLength) {
            case 2 -> second;
            case 4 -> frame.getShort(frame.position() + 2) & 0xFFFF;
            default -> frame.getLong(frame.position() + 2);
        };
        assertEquals(payloadLength, length);
    }

    @Test
    void shouldCutALongReasonAtACharacterBoundaryWithinTheControlFrameLimit() {
        final String reason = "é".repeat(100);
        final ByteBuffer payload = CloseFrames.payload(1008, reason);
        assertEquals(1008, payload.getShort() & 0xFFFF);
        final byte[] text = new byte[payload.remaining()];
        payload.get(text);
        assertEquals(122, text.length, "123 bytes would split a two-byte character");
        assertEquals("é".repeat(61), new String(text, StandardCharsets.UTF_8));
    }

    @Test
    void shouldAnswerACloseWithoutACodeWithAnEmptyClose() {
        assertEquals(0, CloseFrames.payload(1005, "ignored").remaining());
    }

    @Test
    void shouldNeverPutAReservedOrInvalidCodeOnTheWire() {
        for (final int code : new int[] {1005, 1006, 1015, 0, 999, 5000}) {
            assertEquals(0, CloseFrames.payload(code, "reason").remaining(), "code " + code);
        }
        assertEquals(1001, CloseFrames.payload(1001, null).getShort() & 0xFFFF);
    }
}
