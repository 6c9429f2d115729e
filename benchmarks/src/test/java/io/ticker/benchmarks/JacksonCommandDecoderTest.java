package io.ticker.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ticker.protocol.CommandDecoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark compares like with like: both decoders read the benchmark's commands to the same result. */
class JacksonCommandDecoderTest {
    @Test
    void shouldDecodeTheBenchmarkCommandsAsTheServersDecoderDoes() {
        for (final int count : new int[] {0, 5, 500}) {
            final String text = CommandDecodeBenchmark.text(count);
            assertEquals(CommandDecoder.decode(text), JacksonCommandDecoder.decode(text), text);
        }
    }

    @Test
    void shouldRefuseWhatTheServersDecoderRefuses() {
        for (final String text : List.of("{not json", "[]", "{\"op\":\"dance\"}", "{\"op\":\"subscribe\"}",
            "{\"op\":\"ping\",\"id\":1e2147483648} x")) {
            assertThrows(CommandDecoder.CommandException.class, () -> CommandDecoder.decode(text), text);
            assertThrows(CommandDecoder.CommandException.class, () -> JacksonCommandDecoder.decode(text), text);
        }
    }
}
