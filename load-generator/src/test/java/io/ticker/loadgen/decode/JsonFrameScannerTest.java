package io.ticker.loadgen.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ticker.protocol.JsonFrameScanner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFrameScannerTest {
    private final ByteBufScanner scanner = new ByteBufScanner(new JsonFrameScanner());
    private final RecordingListener events = new RecordingListener();

    @Test
    void shouldReportEveryQuoteOfAMultiEventFrameInOrder() {
        final int count = scan("[{\"type\":\"quote\",\"symbol\":\"AAPL\",\"seq\":1042,\"bid\":189.12,\"bidSize\":300,"
            + "\"ask\":189.14,\"askSize\":200,\"last\":189.13,\"lastSize\":100,\"volume\":1234500,"
            + "\"ts\":1763800000123456},"
            + "{\"type\":\"quote\",\"symbol\":\"MSFT\",\"seq\":1043,\"bid\":420.5,\"bidSize\":100,\"ask\":420.6,"
            + "\"askSize\":100,\"last\":420.55,\"lastSize\":10,\"volume\":77,\"ts\":1763800000123999}]");

        assertEquals(2, count);
        assertEquals(List.of("quote AAPL 1042 1763800000123456 false 0", "quote MSFT 1043 1763800000123999 false 0"),
            events.log);
    }

    @Test
    void shouldReadSnapshotAndConflatedInAnyMemberOrder() {
        scan("[{\"snapshot\":true,\"ts\":5,\"symbol\":\"S0001\",\"type\":\"quote\",\"seq\":7},"
            + "{\"conflated\":12,\"seq\":9,\"symbol\":\"S0002\",\"ts\":6,\"type\":\"quote\"},"
            + "{\"type\":\"quote\",\"symbol\":\"S0003\",\"seq\":10,\"ts\":7,\"snapshot\":false}]");

        assertEquals(List.of("quote S0001 7 5 true 0", "quote S0002 9 6 false 12", "quote S0003 10 7 false 0"),
            events.log);
    }

    @Test
    void shouldReportAcksErrorsAndPongsWithoutConfusingSymbolsWithSymbol() {
        scan("[{\"type\":\"subscribed\",\"id\":\"r1\",\"symbols\":[\"AAPL\",\"MSFT\"]}]");
        scan("[{\"type\":\"error\",\"id\":\"r1\",\"code\":\"UNKNOWN_SYMBOL\",\"message\":\"no \\\"ZZZ\\\" [here]\"}]");
        scan("[{\"type\":\"pong\",\"id\":4,\"ts\":1763800000123999}]");
        scan("[{\"type\":\"symbols\",\"id\":\"r3\",\"symbols\":[\"A\",\"B\"]},{\"type\":\"unsubscribed\","
            + "\"symbols\":[]}]");

        assertEquals(List.of("ack SUBSCRIBED", "error UNKNOWN_SYMBOL", "pong 1763800000123999", "ack SYMBOLS",
            "ack UNSUBSCRIBED"), events.log);
    }

    @Test
    void shouldReadWhetherAResumeRecoveredAndWhichQuotesAreReplayed() {
        scan("[{\"type\":\"subscribed\",\"id\":\"r7\",\"symbols\":[\"A\"],\"epoch\":17,\"open\":{\"A\":1.5},"
            + "\"recovered\":true},{\"type\":\"quote\",\"symbol\":\"A\",\"seq\":1042,\"ts\":5,\"replayed\":true,"
            + "\"conflated\":2},{\"type\":\"quote\",\"symbol\":\"A\",\"seq\":1043,\"ts\":6,\"replayed\":false}]");
        scan("[{\"reason\":\"too-old\",\"recovered\":false,\"type\":\"subscribed\",\"epoch\":17}]");
        scan("[{\"type\":\"subscribed\",\"epoch\":17,\"recovered\":null,\"reason\":7}]");

        assertEquals(List.of("ack SUBSCRIBED epoch 17 RECOVERED", "quote A 1042 5 false 2 replayed",
            "quote A 1043 6 false 0", "ack SUBSCRIBED epoch 17 NOT_RECOVERED too-old", "ack SUBSCRIBED epoch 17"),
            events.log);
    }

    @Test
    void shouldSkipNestedValuesAndWhitespaceItDoesNotNeed() {
        scan(" [ { \"type\" : \"quote\" , \"extra\" : {\"a\":[1,{\"b\":null}],\"c\":\"}]\"} , \"symbol\" : \"X\" ,"
            + " \"seq\" : 3 , \"ts\" : 4 , \"f\" : -1.5e3 } ] ");

        assertEquals(List.of("quote X 3 4 false 0"), events.log);
    }

    @Test
    void shouldCountAnUnknownEventTypeAndCarryOn() {
        final int count = scan("[{\"type\":\"news\",\"text\":\"hi\"},{\"type\":\"quote\",\"symbol\":\"A\","
            + "\"seq\":1,\"ts\":2}]");

        assertEquals(2, count);
        assertEquals(List.of("unknown", "quote A 1 2 false 0"), events.log);
    }

    @Test
    void shouldAcceptAnEmptyArray() {
        assertEquals(0, scan("[]"));
        assertTrue(events.log.isEmpty());
    }

    @Test
    void shouldReportMalformedFramesAndKeepEventsBeforeTheFault() {
        scan("{\"type\":\"quote\"}");
        scan("[{\"type\":\"quote\",\"symbol\":\"A\",\"seq\":1,\"ts\":2},{\"type\":");
        scan("[{\"type\":\"quote\",\"seq\":x}]");

        assertEquals(List.of("malformed", "quote A 1 2 false 0", "malformed", "malformed"), events.log);
    }

    @Test
    void shouldNotMoveTheReaderIndexOfTheFrame() {
        final ByteBuf frame = Unpooled.copiedBuffer("[{\"type\":\"pong\"}]", StandardCharsets.UTF_8);
        scanner.scan(frame, events);
        assertEquals(0, frame.readerIndex());
        assertFalse(events.log.isEmpty());
    }

    private int scan(final String text) {
        return scanner.scan(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), events);
    }
}
