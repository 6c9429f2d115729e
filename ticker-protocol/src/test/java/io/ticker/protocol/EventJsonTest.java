package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    @Test
    void shouldSplitTheSymbolsAnswerIntoAStartPerRequestAndMembersEncodedOnce() {
        final List<String> universe = List.of("AAPL", "MSFT", "BRK.B");
        for (final String id : new String[] {null, "\"r1\"", "42"}) {
            assertEquals(EventJson.symbols(id, universe),
                EventJson.symbolsStart(id) + EventJson.symbolsMembers(universe));
        }
    }
}
