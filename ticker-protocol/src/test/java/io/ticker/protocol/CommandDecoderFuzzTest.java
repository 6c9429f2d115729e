package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decoder against inputs nobody wrote by hand: valid commands mutated byte by byte, documents grown from the JSON
 * grammar with hostile numbers and strings, and plain noise. Every input must end as a {@link Command} or a
 * {@link CommandDecoder.CommandException} with a message; anything else thrown would escape onto an IO thread. The
 * seed is fixed so a failure repeats; the case count keeps the run to a few seconds.
 */
class CommandDecoderFuzzTest {
    private static final long SEED = 0x5EED_17L;
    private static final int CASES_PER_KIND = 25_000;
    private static final List<String> VALID = List.of(
        "{\"op\":\"subscribe\",\"symbols\":[\"AAPL\",\"MSFT\"],\"id\":\"r1\"}",
        "{\"op\":\"unsubscribe\",\"symbols\":[\"*\"],\"id\":7}",
        "{\"op\":\"list\",\"id\":-1.5e3}",
        "{\"op\":\"subscribe\",\"symbols\":[\"AAPL\"],\"since\":1041,\"epoch\":1796660208851373,\"id\":\"r7\"}",
        "{\"id\":\"\\u00e9\\n\",\"op\":\"ping\",\"extra\":{\"a\":[true,false,null,0.0]}}");
    /** Pieces that matter to a JSON reader: structure, escapes, number parts, literals, surrogates. */
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800",
        "e", "E", "-", "+", ".", "0", "9", "1e2147483648", "1e-2147483649", "9".repeat(70), "true", "null", "fals",
        "\u0000", "\u001f", "\ud83d", "\ude00", " ", "\t", "\"op\"", "\"symbols\"", "\"id\"", "\"subscribe\"", "*",
        "\"since\"", "\"epoch\"");

    @Test
    void shouldDecodeOrRefuseEveryMutationOfAValidCommand() {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES_PER_KIND; i++) {
            final StringBuilder text = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            final int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                mutate(text, random);
            }
            assertDecodesOrRefuses(text.toString());
        }
    }

    @Test
    void shouldDecodeOrRefuseEveryDocumentGrownFromTheGrammar() {
        final SplittableRandom random = new SplittableRandom(SEED + 1);
        for (int i = 0; i < CASES_PER_KIND; i++) {
            final StringBuilder text = new StringBuilder();
            value(text, random, 0);
            assertDecodesOrRefuses(text.toString());
        }
    }

    @Test
    void shouldDecodeOrRefuseNoiseMadeOfJsonTokens() {
        final SplittableRandom random = new SplittableRandom(SEED + 2);
        for (int i = 0; i < CASES_PER_KIND; i++) {
            final StringBuilder text = new StringBuilder();
            for (int t = random.nextInt(40); t >= 0; t--) {
                text.append(TOKENS.get(random.nextInt(TOKENS.size())));
            }
            assertDecodesOrRefuses(text.toString());
        }
    }

    @Test
    void shouldRefuseNumbersWhoseExponentOverflowsAnywhereInACommand() {
        for (final String number : List.of("1e2147483648", "1E+2147483648", "1e-2147483649", "0.1e99999999999",
            "-9e9999999999999999999")) {
            assertBadRequest("{\"op\":\"ping\",\"id\":" + number + "}");
            assertBadRequest("{\"op\":\"ping\",\"extra\":[" + number + "]}");
            assertBadRequest("{\"op\":\"subscribe\",\"symbols\":[" + number + "]}");
            assertBadRequest(number);
        }
    }

    private static void assertBadRequest(final String text) {
        try {
            CommandDecoder.decode(text);
            fail("decoded: " + text);
        } catch (final CommandDecoder.CommandException e) {
            assertEquals(ErrorCode.BAD_REQUEST, e.code(), text);
        }
    }

    private static void assertDecodesOrRefuses(final String text) {
        try {
            final Command command = CommandDecoder.decode(text);
            assertNotNull(command.op(), text);
            if (command.resumes()) {
                assertTrue(command.since() >= 0 && command.epoch() >= Command.NO_EPOCH, text);
            }
            if (command.id() != null) {
                // the id is echoed inside an event: it must be JSON the client can read back
                JsonParser.parse(command.id());
            }
        } catch (final CommandDecoder.CommandException e) {
            assertNotNull(e.code(), text);
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a reason for " + text);
        } catch (final RuntimeException | StackOverflowError e) {
            throw new AssertionError("decoder threw " + e + " for: " + text, e);
        }
    }

    private static void mutate(final StringBuilder text, final SplittableRandom random) {
        final int at = text.length() == 0 ? 0 : random.nextInt(text.length());
        switch (random.nextInt(4)) {
            case 0 -> text.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
            case 1 -> {
                if (text.length() > 0) {
                    text.deleteCharAt(at);
                }
            }
            case 2 -> {
                if (text.length() > 0) {
                    text.setCharAt(at, (char) random.nextInt(0x80));
                }
            }
            default -> text.insert(at, (char) random.nextInt(0x10000));
        }
    }

    private static void value(final StringBuilder out, final SplittableRandom random, final int depth) {
        final int kind = random.nextInt(depth > 6 ? 4 : 6);
        switch (kind) {
            case 0 -> number(out, random);
            case 1 -> string(out, random);
            case 2 -> out.append(List.of("true", "false", "null").get(random.nextInt(3)));
            case 3 -> out.append(TOKENS.get(random.nextInt(TOKENS.size())));
            case 4 -> {
                out.append('[');
                for (int n = random.nextInt(5); n > 0; n--) {
                    value(out, random, depth + 1);
                    out.append(n > 1 ? "," : "");
                }
                out.append(']');
            }
            default -> {
                out.append('{');
                for (int n = random.nextInt(5); n > 0; n--) {
                    out.append(List.of("\"op\"", "\"id\"", "\"symbols\"", "\"x\"").get(random.nextInt(4))).append(':');
                    if (random.nextInt(3) == 0) {
                        out.append(List.of("\"subscribe\"", "\"unsubscribe\"", "\"list\"", "\"ping\"")
                            .get(random.nextInt(4)));
                    } else {
                        value(out, random, depth + 1);
                    }
                    out.append(n > 1 ? "," : "");
                }
                out.append('}');
            }
        }
    }

    private static void number(final StringBuilder out, final SplittableRandom random) {
        if (random.nextBoolean()) {
            out.append('-');
        }
        out.append(random.nextInt(1000));
        if (random.nextBoolean()) {
            out.append('.').append(random.nextInt(1000));
        }
        if (random.nextBoolean()) {
            out.append(random.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(random.nextInt(3)))
                .append(random.nextBoolean() ? Long.toString(random.nextLong() & Long.MAX_VALUE)
                    : Integer.toString(random.nextInt(400)));
        }
    }

    private static void string(final StringBuilder out, final SplittableRandom random) {
        out.append('"');
        for (int n = random.nextInt(12); n > 0; n--) {
            switch (random.nextInt(5)) {
                case 0 -> out.append("\\u").append(String.format("%04x", random.nextInt(0x10000)));
                case 1 -> out.append('\\').append("\"\\/bfnrt".charAt(random.nextInt(8)));
                case 2 -> out.append((char) (0xd800 + random.nextInt(0x800)));
                default -> out.append((char) (0x20 + random.nextInt(0x5f)));
            }
        }
        out.append('"');
    }
}
