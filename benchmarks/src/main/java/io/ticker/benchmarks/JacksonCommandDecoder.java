package io.ticker.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.ticker.protocol.Command;
import io.ticker.protocol.CommandDecoder;
import io.ticker.protocol.EventJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidate weighed against {@link CommandDecoder}: the same command contract read with jackson-core's streaming
 * parser, token by token, unknown members skipped without building them. Kept in the benchmarks only, where it is
 * measured; the server decodes with ticker-protocol's own parser (see CommandDecodeBenchmark for why).
 */
public final class JacksonCommandDecoder {
    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(64).build())
        .build();

    private JacksonCommandDecoder() {
    }

    /** Decodes one command, or throws {@link CommandDecoder.CommandException} as the server's decoder does. */
    public static Command decode(final String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new CommandDecoder.CommandException(null, "a command must be a JSON object");
            }
            String op = null;
            String id = null;
            List<String> symbols = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String name = parser.currentName();
                final JsonToken value = parser.nextToken();
                switch (name) {
                    case "op" -> op = value == JsonToken.VALUE_STRING ? parser.getText() : "";
                    case "id" -> id = id(parser, value);
                    case "symbols" -> symbols = symbols(parser, value);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new CommandDecoder.CommandException(null, "not valid JSON: text after the command");
            }
            final Command.Op parsed = op(op);
            if (parsed == null) {
                throw new CommandDecoder.CommandException(id, "unknown or missing op");
            }
            final boolean named = parsed == Command.Op.SUBSCRIBE || parsed == Command.Op.UNSUBSCRIBE;
            if (named && (symbols == null || symbols.isEmpty())) {
                throw new CommandDecoder.CommandException(id, "field 'symbols' must be a non-empty array of strings");
            }
            return new Command(parsed, named ? symbols : List.of(), id);
        } catch (final JsonProcessingException e) {
            throw new CommandDecoder.CommandException(null, "not valid JSON: " + e.getOriginalMessage());
        } catch (final IOException e) {
            throw new CommandDecoder.CommandException(null, "not valid JSON");
        }
    }

    private static Command.Op op(final String name) {
        for (final Command.Op op : Command.Op.values()) {
            if (op.wireName().equals(name)) {
                return op;
            }
        }
        return null;
    }

    private static String id(final JsonParser parser, final JsonToken value) throws IOException {
        return switch (value) {
            case VALUE_STRING -> EventJson.quote(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getText();
            default -> {
                parser.skipChildren();
                yield null;
            }
        };
    }

    private static List<String> symbols(final JsonParser parser, final JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        final List<String> symbols = new ArrayList<>();
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (element != JsonToken.VALUE_STRING) {
                throw new CommandDecoder.CommandException(null, "field 'symbols' must be an array of strings");
            }
            symbols.add(parser.getText());
        }
        return symbols;
    }
}
