package io.ticker.loadgen.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.ticker.loadgen.decode.ByteBufScanner;
import io.ticker.loadgen.decode.SymbolTable;
import io.ticker.loadgen.measure.ClientLedger;
import io.ticker.loadgen.measure.DeliveryObserver;
import io.ticker.loadgen.measure.EpochClock;
import io.ticker.loadgen.measure.LatencyRecorder;
import io.ticker.loadgen.measure.RecordingWindow;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.settings.RampUp;
import io.ticker.loadgen.settings.RunSettings;
import io.ticker.loadgen.settings.SlowClients;
import io.ticker.loadgen.settings.SymbolSkew;
import io.ticker.protocol.JsonFrameScanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lost updates are counted per symbol against the observer, so that a surplus on one symbol hides no loss. */
class DeliveryFiguresTest {
    private final EpochClock clock = new EpochClock();
    private final RecordingWindow window = new RecordingWindow();
    private final DeliveryObserver observer = new DeliveryObserver(2);
    private final ClientLedger.Sinks sinks = new ClientLedger.Sinks(new SymbolTable(List.of("AAA", "BBB")),
        new RunCounters(), new LatencyRecorder(1), clock, window, observer);
    private final ByteBufScanner json = new ByteBufScanner(new JsonFrameScanner());
    /** Window start, in the future, so that the observer subscribed before it. */
    private final long start = clock.nowMicros() + 60_000_000L;

    @Test
    void shouldCountLossPerSymbolNotHiddenByAnotherSymbolsSurplus() {
        window.open(start);
        final ClientLedger watcher = new ClientLedger(0, true, false, null, sinks);
        final ClientLedger subscriber = new ClientLedger(0, false, false, new int[] {0, 1}, sinks);
        final ClientLedger resumed = new ClientLedger(0, false, false, new int[] {1}, sinks);
        text(watcher, "[{\"type\":\"subscribed\",\"epoch\":4}]");
        // the feed made AAA 1, 2, 3 and BBB 4, 5 (5 replacing 4 on the observer's connection)
        text(watcher, "[" + quote("AAA", 1, 0) + "," + quote("AAA", 2, 0) + "," + quote("AAA", 3, 0) + ","
            + quote("BBB", 5, 1) + "]");
        // the subscriber missed AAA 2 and was told BBB 5 replaced 2 updates (one too many)
        text(subscriber, "[" + quote("AAA", 1, 0) + "," + quote("AAA", 3, 0) + "," + quote("BBB", 5, 2) + "]");
        // the resumed one got BBB 4 live and 5 replayed, and 5 again: the duplicate is not counted
        text(resumed, "[" + quote("BBB", 4, 0) + "," + quote("BBB", 5, 0).replace("}", ",\"replayed\":true}") + ","
            + quote("BBB", 5, 0) + "]");
        window.close(start + 1_000_000);

        final Map<String, Object> delivery = new DeliveryFigures(settings(), List.of()).delivery(
            List.of(subscriber, resumed), observer, start, 1.0, Map.of());

        assertEquals("observer", delivery.get("method"));
        assertEquals(5L + 2L, delivery.get("expected"));
        assertEquals(1L, delivery.get("lost"), "AAA 2, although BBB's count is one too many");
        assertEquals(1L, delivery.get("surplus"));
        assertEquals(1L, delivery.get("subscribersWithLoss"));
        assertEquals(3L + 2L, delivery.get("received"), "the duplicate BBB 5 not among them");
    }

    private void text(final ClientLedger ledger, final String frame) {
        ledger.frame(Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8)), json);
    }

    private String quote(final String symbol, final long seq, final long conflated) {
        return "{\"type\":\"quote\",\"symbol\":\"" + symbol + "\",\"seq\":" + seq + ",\"ts\":" + (start + seq)
            + (conflated > 0 ? ",\"conflated\":" + conflated : "") + "}";
    }

    private static RunSettings settings() {
        return new RunSettings(List.of("ws://localhost:1/ws"), 2, RampUp.parse("1000/s"), 2, false,
            SymbolSkew.UNIFORM, Duration.ofSeconds(1), Duration.ZERO, "ticker.v1.json", false, true,
            Duration.ofMillis(100), Duration.ofSeconds(1), true, "t", Path.of("results"), 42, true, false, 1,
            Duration.ofSeconds(1), Duration.ofSeconds(1), null, Double.NaN, SlowClients.NONE, "test");
    }
}
