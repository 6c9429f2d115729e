package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandDecoderTest {
    @Test
    void shouldDecodeEveryOpWithItsId() {
        final Command subscribe = CommandDecoder.decode("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\",\"MSFT\"],"
            + "\"id\":\"r1\"}");
        assertEquals(Command.Op.SUBSCRIBE, subscribe.op());
        assertEquals(List.of("AAPL", "MSFT"), subscribe.symbols());
        assertEquals("\"r1\"", subscribe.id());

        final Command firehose = CommandDecoder.decode("{\"op\":\"subscribe\",\"symbols\":[\"*\"]}");
        assertEquals(List.of(Command.ALL_SYMBOLS), firehose.symbols());
        assertNull(firehose.id());

        assertEquals(Command.Op.UNSUBSCRIBE,
            CommandDecoder.decode("{\"op\":\"unsubscribe\",\"symbols\":[\"AAPL\"],\"id\":\"r2\"}").op());
        assertEquals("42", CommandDecoder.decode("{\"op\":\"list\",\"id\":42}").id());
        assertEquals(Command.Op.PING, CommandDecoder.decode(" {\"id\":\"r4\", \"op\":\"ping\", \"extra\":[1]} ").op());
    }

    @Test
    void shouldRejectBadCommandsWithAReasonAndTheIdWhenReadable() {
        assertBadRequest("not json", null, "not valid JSON");
        assertBadRequest("[1,2]", null, "must be a JSON object");
        assertBadRequest("{\"op\":\"dance\",\"id\":\"x\"}", "\"x\"", "unknown op 'dance'");
        assertBadRequest("{\"op\":7}", null, "'op' must be a string");
        assertBadRequest("{\"symbols\":[]}", null, "missing field 'op'");
        assertBadRequest("{\"op\":\"subscribe\",\"id\":1}", "1", "missing field 'symbols'");
        assertBadRequest("{\"op\":\"subscribe\",\"symbols\":\"AAPL\"}", null, "array of strings");
        assertBadRequest("{\"op\":\"subscribe\",\"symbols\":[1]}", null, "array of strings");
        assertBadRequest("{\"op\":\"subscribe\",\"symbols\":[]}", null, "must not be empty");
        assertBadRequest("{\"op\":\"ping\",\"id\":{}}", null, "'id' must be a string or a number");
        assertBadRequest("{\"op\":\"ping\"} trailing", null, "not valid JSON");
    }

    @Test
    void shouldDecodeSinceAndEpochOfAResumingSubscribe() {
        final Command resume = CommandDecoder.decode("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],"
            + "\"since\":1041,\"epoch\":1796660208851373,\"id\":\"r7\"}");
        assertTrue(resume.resumes());
        assertEquals(1041, resume.since());
        assertEquals(1796660208851373L, resume.epoch());
        assertEquals("\"r7\"", resume.id());

        final Command noEpoch = CommandDecoder.decode("{\"op\":\"subscribe\",\"symbols\":[\"*\"],\"since\":0}");
        assertEquals(0, noEpoch.since());
        assertEquals(Command.NO_EPOCH, noEpoch.epoch());
        assertEquals(Long.MAX_VALUE, CommandDecoder.decode("{\"op\":\"subscribe\",\"symbols\":[\"A\"],"
            + "\"since\":9223372036854775807}").since());

        final Command plain = CommandDecoder.decode("{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        assertFalse(plain.resumes());
        // on unsubscribe, since means nothing and is ignored like any member the contract does not name
        assertFalse(CommandDecoder.decode("{\"op\":\"unsubscribe\",\"symbols\":[\"A\"],\"since\":\"x\"}")
            .resumes());
    }

    @Test
    void shouldRefuseASinceOrEpochThatIsNotANonNegativeInteger() {
        for (final String bad : List.of("-1", "1.5", "\"1041\"", "null", "true", "[1]", "{}",
            "9223372036854775808", "1e30", "1e-3", "-0.5", "1e2147483647")) {
            assertBadRequest("{\"op\":\"subscribe\",\"symbols\":[\"A\"],\"since\":" + bad + ",\"id\":3}", "3",
                "'since' must be a non-negative integer");
            assertBadRequest("{\"op\":\"subscribe\",\"symbols\":[\"A\"],\"since\":5,\"epoch\":" + bad + "}", null,
                "'epoch' must be a non-negative integer");
        }
    }

    @Test
    void shouldEscapeAnIdSoTheEchoIsValidJson() {
        final Command command = CommandDecoder.decode("{\"op\":\"ping\",\"id\":\"a\\\"b\\\\c\\u0001\"}");
        final Object echoed = JsonParser.parse(EventJson.pong(command.id(), 1));
        assertEquals("a\"b\\c\u0001", ((java.util.Map<?, ?>) echoed).get("id"));
    }

    @Test
    void shouldRefuseDeeplyNestedDocumentsWithoutOverflowingTheStack() {
        final String deep = "[".repeat(100_000) + "]".repeat(100_000);
        final CommandDecoder.CommandException e =
            assertThrows(CommandDecoder.CommandException.class, () -> CommandDecoder.decode(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    private static void assertBadRequest(final String text, final String id, final String messagePart) {
        final CommandDecoder.CommandException e =
            assertThrows(CommandDecoder.CommandException.class, () -> CommandDecoder.decode(text), text);
        assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        assertEquals(id, e.id(), text);
        assertTrue(e.getMessage().contains(messagePart), text + " -> " + e.getMessage());
    }
}
