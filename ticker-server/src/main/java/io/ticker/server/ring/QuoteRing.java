package io.ticker.server.ring;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import io.ticker.feed.QuoteSink;
import io.ticker.protocol.Quote;

/**
 * The sequencer: a single-producer Disruptor ring of preallocated {@link QuoteEvent}s. Every update passes through
 * here once; with the embedded feed the sequence the ring gives it is the contract's {@code seq}, strictly increasing
 * across the feed; with a network feed the seq is the feed's own ({@link #publishSequenced}).
 * One ingest thread publishes (the embedded feed, a recording, or a network feed); one handler consumes, either on
 * the Disruptor's own thread, woken by the wait strategy, or ({@link WaitStrategies#INLINE}) on the ingest thread
 * itself, which runs the handler over each burst it has just published.
 */
public final class QuoteRing implements QuoteSink {
    /**
     * Copies the feed's reusable quote into the slot. Static and non-capturing, so publishing allocates nothing.
     */
    public static final EventTranslatorOneArg<QuoteEvent, Quote> TRANSLATOR = (event, sequence, quote) -> {
        event.quote.copyFrom(quote);
        event.seq = sequence;
        event.publishNanos = System.nanoTime();
        event.newEpoch = 0;
    };

    /**
     * Copies an update that a network feed already sequenced: the slot takes the feed's seq, not the ring's, so
     * every server that carries the feed shows the same seq.
     */
    public static final EventTranslatorOneArg<QuoteEvent, QuoteEvent> SEQUENCED_TRANSLATOR =
        (event, sequence, update) -> {
            event.quote.copyFrom(update.quote);
            event.seq = update.seq;
            event.publishNanos = System.nanoTime();
            event.newEpoch = update.newEpoch;
        };

    private final Disruptor<QuoteEvent> disruptor;
    private final RingBuffer<QuoteEvent> ringBuffer;
    private final EventPoller<QuoteEvent> poller;
    private final EventPoller.Handler<QuoteEvent> pollHandler;

    /**
     * A ring of {@code size} slots (a power of two) feeding {@code handler}.
     *
     * @param waitStrategyName see {@link WaitStrategies}
     */
    public QuoteRing(final int size, final String waitStrategyName, final EventHandler<QuoteEvent> handler) {
        if (WaitStrategies.INLINE.equals(waitStrategyName)) {
            disruptor = null;
            ringBuffer = RingBuffer.createSingleProducer(QuoteEvent::new, size,
                WaitStrategies.byName(waitStrategyName));
            poller = ringBuffer.newPoller();
            ringBuffer.addGatingSequences(poller.getSequence());
            pollHandler = (event, sequence, endOfBatch) -> {
                handler.onEvent(event, sequence, endOfBatch);
                return true;
            };
        } else {
            disruptor = new Disruptor<>(
                QuoteEvent::new, size, DaemonThreadFactory.INSTANCE, ProducerType.SINGLE,
                WaitStrategies.byName(waitStrategyName));
            disruptor.handleEventsWith(handler);
            ringBuffer = disruptor.getRingBuffer();
            poller = null;
            pollHandler = null;
        }
    }

    /** Starts the consumer thread, if the ring has one. */
    public void start() {
        if (disruptor != null) {
            disruptor.start();
        }
    }

    /**
     * Publishes one update; blocks only if the ring is full, which means the consumer is a whole ring behind. An
     * inline ring drains itself first when full: the producer is its consumer.
     */
    @Override
    public void onQuote(final Quote quote) {
        publish(TRANSLATOR, quote);
    }

    /** Publishes one update with the seq it already has (a network feed's); blocks only if the ring is full. */
    public void publishSequenced(final QuoteEvent update) {
        publish(SEQUENCED_TRANSLATOR, update);
    }

    private <A> void publish(final EventTranslatorOneArg<QuoteEvent, A> translator, final A update) {
        if (!ringBuffer.tryPublishEvent(translator, update)) {
            if (poller != null) {
                drain();
            }
            ringBuffer.publishEvent(translator, update);
        }
    }

    /**
     * The producer has published a burst: an inline ring runs the handler over it now, on this thread, as one ring
     * batch; a ring with a consumer thread has nothing to do (its thread was signalled on each publish).
     */
    @Override
    public void endOfBatch() {
        if (poller != null) {
            drain();
        }
    }

    private void drain() {
        try {
            poller.poll(pollHandler);
        } catch (final RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sequence of the last published update, or -1 before the first. */
    public long lastSequence() {
        return ringBuffer.getCursor();
    }

    /** Free slots: how far the consumer could fall behind before the producer waits. */
    public long remainingCapacity() {
        return ringBuffer.remainingCapacity();
    }

    /** Slots in the ring. */
    public int size() {
        return ringBuffer.getBufferSize();
    }

    /** Waits for the consumer to take everything published, then stops it; an inline ring drains what is left. */
    public void stop() {
        if (disruptor != null) {
            disruptor.shutdown();
        } else {
            drain();
        }
    }
}
