package io.ticker.server.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.ring.QuoteEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A shard whose drains take longer than the feed's tick must still let its IO thread select: XNIO runs queued tasks
 * until none is left before it selects, so a drain that queued itself again behind every batch that arrived while it
 * ran would starve reads, write-ready events and timers for as long as the load lasted (seen at 20,000 updates/s x
 * 1,000 connections: subscriptions never acknowledged, a firehose subscriber closed as stalled).
 */
class SaturatedDrainTest {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final ArrayDeque<Runnable> timers = new ArrayDeque<>();
    private final List<Long> timerDelays = new ArrayList<>();
    private final SymbolUniverse universe = SymbolUniverse.generate(5, 42);
    private final FanoutShard shard = new FanoutShard(tasks::add, universe.size(), ShardSettings.unlimited(),
        (task, nanos) -> {
            timers.add(task);
            timerDelays.add(nanos);
        });
    private final BatchPublisher publisher = new BatchPublisher(universe, new FanoutShard[] {shard});
    private final QuoteEvent event = new QuoteEvent();
    private final List<String> frames = new ArrayList<>();
    private long seq;
    /** How many more frames make the ring thread publish a batch while the drain is still running. */
    private int publishWhileDraining;

    @Test
    void shouldLeaveTheTaskQueueEmptyAfterAFewDrainsInARow() {
        final Subscriber subscriber = new Subscriber(new PublishingSink(), shard, universe, 100);
        subscriber.subscribe("s", List.of(universe.symbols().get(0)));
        publish();
        assertEquals(1, tasks.size(), "the first batch queues a drain");
        publish();
        assertEquals(1, tasks.size(), "a second batch before the drain runs joins it");

        publishWhileDraining = 1 + FanoutShard.MAX_BACK_TO_BACK;
        for (int i = 0; i < FanoutShard.MAX_BACK_TO_BACK; i++) {
            tasks.poll().run();
            assertEquals(1, tasks.size(), "a batch arrived during drain " + i + ": the next runs straight after");
        }
        tasks.poll().run();
        assertEquals(0, tasks.size(), "one drain too many in a row: the task queue is left empty for the selector");
        assertEquals(List.of(FanoutShard.CATCH_UP_NANOS), timerDelays, "with a catch-up in case no batch follows");

        publish();
        assertEquals(1, tasks.size(), "the feed's next batch queues the drain again");
        tasks.poll().run();
        assertEquals(0, tasks.size());
        final int framesBefore = frames.size();
        timers.poll().run();
        assertEquals(framesBefore, frames.size(), "the catch-up finds nothing left and sends nothing");

        publish();
        assertEquals(1, tasks.size(), "a quiet shard drains the next batch at once");
        tasks.poll().run();
        assertEquals(3 + FanoutShard.MAX_BACK_TO_BACK + 2, seq, "every batch published");
        assertEquals(seq, frames.stream().mapToLong(f -> f.split("\"type\":\"quote\"", -1).length - 1).sum(),
            "and every quote delivered");
    }

    @Test
    void shouldCatchUpWhenNoBatchFollows() {
        final Subscriber subscriber = new Subscriber(new PublishingSink(), shard, universe, 100);
        subscriber.subscribe("s", List.of(universe.symbols().get(0)));
        publish();
        publishWhileDraining = 1 + FanoutShard.MAX_BACK_TO_BACK;
        for (int i = 0; i <= FanoutShard.MAX_BACK_TO_BACK; i++) {
            tasks.poll().run();
        }
        assertEquals(0, tasks.size());
        timers.poll().run();
        assertEquals(seq, frames.stream().mapToLong(f -> f.split("\"type\":\"quote\"", -1).length - 1).sum(),
            "the batch left behind went out with the catch-up");
    }

    @Test
    void shouldDrainAtOnceBeforeANewConnectionAndLeaveTheQueuedDrainNothing() {
        final Subscriber subscriber = new Subscriber(new PublishingSink(), shard, universe, 100);
        subscriber.subscribe("s", List.of(universe.symbols().get(0)));
        final int acked = frames.size();
        shard.drainIfDue();
        assertEquals(acked, frames.size(), "no drain due: nothing runs");
        publish();
        assertEquals(1, tasks.size(), "the batch queues a drain");
        // the IO thread is about to take on a new connection, with the drain still queued behind others
        shard.drainIfDue();
        assertEquals(acked + 1, frames.size(), "the quote goes out at once");
        tasks.poll().run();
        assertEquals(acked + 1, frames.size(), "the queued drain finds nothing left");
        publish();
        assertEquals(1, tasks.size(), "the next batch queues a drain again");
        tasks.poll().run();
        assertEquals(acked + 2, frames.size());
    }

    private void publish() {
        event.quote.symbolId = 0;
        event.quote.bid = 1_000_000 + seq;
        event.quote.ask = 1_000_100 + seq;
        event.quote.timestampMicros = 1_763_800_000_000_000L + seq;
        event.seq = seq++;
        event.publishNanos = System.nanoTime();
        publisher.onEvent(event, event.seq, true);
    }

    /** Takes every frame at once; while asked to, the ring thread publishes a batch as each frame goes out. */
    private final class PublishingSink extends SilentControlSink {
        @Override
        public void sendText(final ByteBuffer frame, final Subscriber owner) {
            frames.add(StandardCharsets.UTF_8.decode(frame).toString());
            owner.frameSent();
            if (publishWhileDraining > 0) {
                publishWhileDraining--;
                publish();
            }
        }

        @Override
        public void sendBinary(final ByteBuffer frame, final Subscriber owner) {
            owner.frameSent();
        }
    }
}
