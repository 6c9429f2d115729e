package io.ticker.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void shouldReadTheFormsPeopleType() {
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s"));
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofNanos(250_000), DurationText.parse("250us"));
        assertEquals(Duration.ofMinutes(2), DurationText.parse("2m"));
        assertEquals(Duration.ofHours(1), DurationText.parse("1h"));
        assertEquals(Duration.ofSeconds(10), DurationText.parse("10"));
        assertEquals(Duration.ofMillis(1500), DurationText.parse("1.5s"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("PT30S"));
    }

    @Test
    void shouldFormatSoThatParsingGivesTheSameDuration() {
        for (final String text : new String[] {"30s", "500ms", "250us", "2m", "1h", "7ns"}) {
            assertEquals(text, DurationText.format(DurationText.parse(text)));
        }
    }

    @Test
    void shouldNameTheBadTextAndTheAcceptedForms() {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> DurationText.parse("soon"));
        assertEquals("'soon' is not a duration; use e.g. 500ms, 30s, 2m, 1h or PT30S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("5 parsecs"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse("-PT1S"));
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse(""));
    }
}
