package io.ticker.server.fanout;

import io.ticker.feed.SymbolUniverse;
import io.ticker.server.book.LastQuoteBook;
import io.ticker.server.book.QuoteHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * The subscribers owned by one Undertow IO thread, and the drain that delivers ring batches to them: each subscriber
 * gets what a batch holds for it as one frame. Only that IO thread touches a shard's state, so nothing here is
 * locked; the ring thread only {@link #offer}s batches. Who wants which symbol is the {@link SubscriberIndex}, the
 * firehose's shared frame is {@link SharedFirehose}, the housekeeping checks are {@link Liveness}, and what it counts
 * is {@link ShardCounters}; the shard's own last-quote book serves its subscribers' snapshots.
 *
 * <p>It is over 400 lines because it is the one object its subscribers and the IO thread both talk to: the drain
 * (offer, catch-up, deliver, delayed flush, epoch changes) and the small package-private calls subscribers make into
 * the shard (index, firehose slots, queued-byte budget, touched list) share the drain's state, and the latter are
 * one-line forwards to the parts named above that keep a subscriber from holding those parts itself.
 */
public final class FanoutShard implements Runnable {
    private static final int INITIAL_TOUCHED = 64;
    /** Drains that may run straight after one another before the IO thread must select. */
    static final int MAX_BACK_TO_BACK = 4;
    /**
     * When a drain that left batches for the feed's next one runs anyway if none has come (XNIO's timers count in
     * whole milliseconds).
     */
    static final long CATCH_UP_NANOS = 1_000_000L;

    private final Executor owner;
    private final ShardSettings settings;
    private final DelayedExecutor delayed;
    private final Runnable delayedFlush = this::delayedFlush;
    private boolean flushScheduled;
    private final FlushPacer pacer;
    /** Quotes offered to subscribers since the last flush pass, for the {@link FlushPacer}. */
    private long quotesSincePass;
    /** Drains run one straight after the other because batches kept arriving during them. */
    private int backToBack;
    private final Runnable catchUp = this::catchUp;
    private boolean catchUpScheduled;
    private final OneToOneConcurrentArrayQueue<QuoteBatch> inbox =
        new OneToOneConcurrentArrayQueue<>(BatchPublisher.BATCHES_IN_FLIGHT);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LastQuoteBook book;
    private final ShardCounters counters = new ShardCounters();
    private final SubscriberIndex index;
    private final SharedFirehose sharedFirehose = new SharedFirehose(counters);
    private final FrameBufferPool framePool = new FrameBufferPool();
    private final Liveness liveness;
    private Subscriber[] touched = new Subscriber[INITIAL_TOUCHED];
    private int touchedCount;
    private final List<Subscriber> connected = new ArrayList<>();
    /** A copy of {@link #connected} to walk: closing a subscriber can take it out of the list during the walk. */
    private Subscriber[] walk = new Subscriber[INITIAL_TOUCHED];
    /** The feed session this shard's book and subscribers follow: what acks carry. IO thread. */
    private long epoch;
    /** Where the shard stands in the server's history, for subscribers that resume. */
    private final HistoryReplay replay;

    /**
     * A shard over {@code symbolCount} symbols whose subscribers all belong to {@code owner}, without limits, flush
     * delay or history: for tests and benchmarks, which run every drain on the calling thread.
     */
    public FanoutShard(final Executor owner, final int symbolCount) {
        this(owner, symbolCount, ShardSettings.unlimited(), null);
    }

    /**
     * A shard as {@link #FanoutShard(Executor, SymbolUniverse, QuoteHistory, ShardSettings, DelayedExecutor)}, keeping
     * no history (every resume is {@code too-old}) and flushing at the end of every drain that has output, however
     * long its passes take: a test's drains on its own thread are never paced.
     */
    public FanoutShard(
        final Executor owner, final int symbolCount, final ShardSettings settings, final DelayedExecutor delayed) {
        this(owner, symbolCount, new HistoryReplay(new QuoteHistory(0), symbolCount), settings, delayed,
            FlushPacer.never());
    }

    /**
     * A shard over {@code universe} whose subscribers all belong to {@code owner}: in the server an Undertow IO
     * thread, which runs every drain and every command of those subscribers. Subscribers resume from {@code history},
     * which the ring's consumer fills before it hands the shard each batch. {@code delayed} runs a task on the owner
     * thread after a delay: needed when {@code settings} has a flush delay above 0, and for a saturated shard's
     * catch-up (without it, a drain that leaves batches behind waits for the next batch) and for its {@link FlushPacer}
     * (without it, every drain with output flushes).
     */
    public FanoutShard(
        final Executor owner,
        final SymbolUniverse universe,
        final QuoteHistory history,
        final ShardSettings settings,
        final DelayedExecutor delayed) {
        this(owner, universe.size(), new HistoryReplay(history, universe), settings, delayed, FlushPacer.onThreadCpu());
    }

    private FanoutShard(
        final Executor owner,
        final int symbolCount,
        final HistoryReplay replay,
        final ShardSettings settings,
        final DelayedExecutor delayed,
        final FlushPacer pacer) {
        if (settings.maxFlushDelayNanos() > 0 && delayed == null) {
            throw new IllegalArgumentException("a flush delay needs a DelayedExecutor");
        }
        this.owner = owner;
        this.settings = settings;
        this.delayed = delayed;
        this.book = new LastQuoteBook(symbolCount);
        this.index = new SubscriberIndex(symbolCount);
        this.liveness = new Liveness(counters, settings.idleTimeoutNanos());
        this.replay = replay;
        this.pacer = pacer;
    }

    /** Runs a task on the shard's owner thread after a delay: the IO thread's timer in the server. */
    @FunctionalInterface
    public interface DelayedExecutor {
        /** Runs {@code task} on the owner thread no sooner than {@code delayNanos} from now. */
        void executeAfter(Runnable task, long delayNanos);
    }

    /** The thread (an executor) that owns this shard. */
    public Executor owner() {
        return owner;
    }

    /** What this shard counts; readable from any thread. */
    public ShardCounters counters() {
        return counters;
    }

    // ---- the drain (ring thread offers, IO thread runs) ----

    /** Ring thread: queues a batch and wakes the IO thread unless a drain is already due. */
    void offer(final QuoteBatch batch) {
        if (!inbox.offer(batch)) {
            throw new IllegalStateException("shard inbox full; more batches in flight than the pool holds");
        }
        if (drainScheduled.compareAndSet(false, true)) {
            owner.execute(this);
        }
    }

    /** IO thread: delivers every queued batch, then flushes each subscriber that got something. */
    @Override
    public void run() {
        // drainScheduled stays set while the drain runs: batches that arrive meanwhile do not queue it again
        drain();
        drainScheduled.set(false);
        if (inbox.isEmpty()) {
            backToBack = 0;
            return;
        }
        // Batches arrived during the drain. XNIO runs queued tasks until none is left before it selects, so a drain
        // that always queued itself again would starve the selector (no command read, no write-ready event, no
        // timer) for as long as the load lasts. A few in a row are fine; then the drain leaves the task queue empty
        // and the feed's next batch queues it again, after the selector has had its turn. What waits meanwhile goes
        // out together, in larger frames.
        if (backToBack++ < MAX_BACK_TO_BACK) {
            if (drainScheduled.compareAndSet(false, true)) {
                owner.execute(this);
            }
        } else if (delayed != null && !catchUpScheduled) {
            // in case no batch follows (a network feed that pauses)
            catchUpScheduled = true;
            delayed.executeAfter(catchUp, CATCH_UP_NANOS);
        }
    }

    /**
     * IO thread: runs the drain now if one is queued. Called before the thread takes on each new connection: XNIO
     * queues every accepted connection as a task of its IO thread, so under a burst of connections a queued drain
     * would otherwise wait behind all of their handshakes (hundreds of milliseconds under an upgrade flood). A drain
     * is idempotent: the queued task finds the inbox empty when it comes.
     */
    public void drainIfDue() {
        if (drainScheduled.get()) {
            run();
        }
    }

    private void catchUp() {
        catchUpScheduled = false;
        if (!inbox.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            run();
        }
    }

    private void drain() {
        splitFirehose();
        QuoteBatch batch;
        while ((batch = inbox.poll()) != null) {
            deliver(batch);
            batch.release();
        }
        if (settings.maxFlushDelayNanos() == 0) {
            sharedFirehose.send();
            flushWhenDue();
        } else if (touchedCount > 0 && !flushScheduled) {
            // The first drain with output starts the clock; later drains add to the same frames until it runs.
            flushScheduled = true;
            delayed.executeAfter(delayedFlush, settings.maxFlushDelayNanos());
        }
    }

    private void delayedFlush() {
        flushScheduled = false;
        if (settings.maxFlushDelayNanos() == 0) {
            flushWhenDue();
        } else {
            flushTouched();
        }
    }

    /**
     * Flushes the touched subscribers now if the {@link FlushPacer} lets the pass run, else when it will: the next
     * drain checks again, and a timer covers a feed that pauses (XNIO's timers count whole milliseconds).
     */
    private void flushWhenDue() {
        if (touchedCount == 0) {
            return;
        }
        final long now = System.nanoTime();
        final long wait = pacer.waitNanos(now);
        if (wait <= 0 || delayed == null) {
            pacer.passStarting();
            final int subscribers = touchedCount;
            final long quotes = quotesSincePass;
            quotesSincePass = 0;
            flushTouched();
            pacer.passEnded(System.nanoTime(), quotes, subscribers);
        } else if (!flushScheduled) {
            flushScheduled = true;
            delayed.executeAfter(delayedFlush, Math.max(wait, CATCH_UP_NANOS));
        }
    }

    private void splitFirehose() {
        sharedFirehose.split(index, settings.maxFlushDelayNanos() == 0);
    }

    private void deliver(final QuoteBatch batch) {
        if (batch.newEpoch() != 0) {
            startEpoch(batch.newEpoch());
        }
        final byte[] bytes = batch.bytes();
        final byte[] records = batch.binaryBytes();
        for (int i = 0, n = batch.count(); i < n; i++) {
            final int symbolId = batch.symbolId(i);
            final int offset = batch.offset(i);
            final int length = batch.length(i);
            final long publishNanos = batch.publishNanos(i);
            final int recordOffset = QuoteBatch.binaryOffset(i);
            book.put(symbolId, batch.seq(i), bytes, offset, length, records, recordOffset);
            // Last to first: a subscriber whose socket fails while it takes the quote (a frame sent mid-drain) leaves
            // the list by swapping the last one into its place, which this walk has already served.
            final Subscriber[] subscribers = index.of(symbolId);
            for (int s = index.count(symbolId) - 1; s >= 0; s--) {
                offerQuote(subscribers[s], symbolId, bytes, offset, length, records, recordOffset, publishNanos);
            }
            sharedFirehose.makeRoom(length);
            final Subscriber[] copying = sharedFirehose.copying();
            for (int s = 0, c = sharedFirehose.copyingCount(); s < c; s++) {
                offerQuote(copying[s], symbolId, bytes, offset, length, records, recordOffset, publishNanos);
            }
            sharedFirehose.append(bytes, offset, length, records, recordOffset, publishNanos);
        }
        replay.delivered(batch);
    }

    /** The shard's reader of the history, between two drains. IO thread. */
    HistoryReplay replay() {
        return replay;
    }

    /**
     * A new feed session: everything of the old one that is pending goes out first, then the book is emptied and
     * every subscriber gets the reset (and snapshots, of which a just-emptied book has none: the new session's
     * quotes follow as they come). The firehose split is made again, since the reset is pending output of its own.
     */
    private void startEpoch(final long newEpoch) {
        sharedFirehose.send();
        flushTouched();
        epoch = newEpoch;
        book.clear();
        final int count = copyConnected();
        for (int i = 0; i < count; i++) {
            final Subscriber subscriber = walk[i];
            walk[i] = null;
            subscriber.reset(newEpoch);
            subscriber.flush();
        }
        splitFirehose();
    }

    /** The feed session the shard follows. IO thread. */
    long epoch() {
        return epoch;
    }

    /**
     * Sets the epoch of a feed session that began before any subscriber: the embedded feed's, which never changes.
     * Call before the shard's thread serves anyone; later sessions arrive as batches ({@link QuoteBatch#newEpoch}).
     */
    public void startAtEpoch(final long startEpoch) {
        epoch = startEpoch;
    }

    private void offerQuote(
        final Subscriber subscriber,
        final int symbolId,
        final byte[] bytes,
        final int offset,
        final int length,
        final byte[] records,
        final int recordOffset,
        final long publishNanos) {
        quotesSincePass++;
        if (subscriber.offerQuote(symbolId, bytes, offset, length, records, recordOffset, publishNanos)) {
            counters.delivered(1);
        } else {
            counters.conflated();
        }
        markTouched(subscriber);
    }

    /** IO thread: remembers that {@code subscriber} has output to flush at the end of this drain. */
    void markTouched(final Subscriber subscriber) {
        if (subscriber.touched) {
            return;
        }
        subscriber.touched = true;
        if (touchedCount == touched.length) {
            touched = Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = subscriber;
    }

    private void flushTouched() {
        for (int i = 0; i < touchedCount; i++) {
            final Subscriber subscriber = touched[i];
            touched[i] = null;
            subscriber.touched = false;
            subscriber.flush();
        }
        touchedCount = 0;
    }

    // ---- housekeeping (IO thread) ----

    /**
     * IO thread, a few times a second: the {@link Liveness} checks of every subscriber, and while the shard holds
     * more queued output than its budget, closes the subscriber that holds the most.
     */
    public void housekeep(final long nowNanos, final long pingIntervalNanos, final long stallTimeoutNanos) {
        final int count = copyConnected();
        Subscriber mostQueued = null;
        for (int i = 0; i < count; i++) {
            final Subscriber subscriber = walk[i];
            walk[i] = null;
            if (mostQueued == null || subscriber.queuedBytes() > mostQueued.queuedBytes()) {
                mostQueued = subscriber;
            }
            liveness.check(subscriber, nowNanos, pingIntervalNanos, stallTimeoutNanos);
        }
        if (mostQueued != null && overQueuedBudget()) {
            // over budget with nobody growing (each growth is checked): the worst offender goes, one per pass
            mostQueued.closeOverBudget();
        }
    }

    /**
     * IO thread: sends every subscriber a close frame with {@code code}, as on a graceful stop, and gives each up to
     * {@code lingerNanos} (the drain timeout) to answer it before its connection is dropped.
     */
    public void closeAll(final int code, final String reason, final long lingerNanos) {
        liveness.draining(lingerNanos);
        final int count = copyConnected();
        for (int i = 0; i < count; i++) {
            final Subscriber subscriber = walk[i];
            walk[i] = null;
            subscriber.close(code, reason);
        }
    }

    /** Copies {@link #connected} into {@link #walk}, without allocating once it is large enough; returns the count. */
    private int copyConnected() {
        final int count = connected.size();
        if (walk.length < count) {
            walk = new Subscriber[Math.max(count, walk.length * 2)];
        }
        connected.toArray(walk);
        return count;
    }

    // ---- what subscribers tell their shard (IO thread) ----

    LastQuoteBook book() {
        return book;
    }

    /** The idle frame buffers this shard's subscribers build in. */
    FrameBufferPool framePool() {
        return framePool;
    }

    /** A new connection on this shard. */
    void add(final Subscriber subscriber) {
        connected.add(subscriber);
        counters.connectionOpened();
    }

    /** Stops all delivery to {@code subscriber}; it stays counted until its channel closes. */
    void detach(final Subscriber subscriber, final Subscriptions subscriptions) {
        subscriptions.forEachSymbol(symbolId -> index.remove(subscriber, symbolId));
        counters.subscriptionsChanged(-subscriptions.symbolCount());
        if (subscriptions.isFirehose()) {
            unindexFirehose(subscriber);
        }
    }

    /** The channel of {@code subscriber} has closed. */
    void remove(final Subscriber subscriber) {
        if (connected.remove(subscriber)) {
            counters.connectionClosed();
        }
    }

    void index(final Subscriber subscriber, final int symbolId) {
        index.add(subscriber, symbolId);
    }

    void unindex(final Subscriber subscriber, final int symbolId) {
        index.remove(subscriber, symbolId);
    }

    /** Takes a server-wide firehose slot, given back in {@link #unindexFirehose}; false when none is free. */
    boolean tryTakeFirehoseSlot() {
        return settings.firehoseSlots().tryTake();
    }

    void indexFirehose(final Subscriber subscriber) {
        counters.firehoseChanged(1);
        index.addFirehose(subscriber);
    }

    void unindexFirehose(final Subscriber subscriber) {
        counters.firehoseChanged(-1);
        settings.firehoseSlots().giveBack();
        index.removeFirehose(subscriber);
    }

    long maxQueuedBytesPerConnection() {
        return settings.maxQueuedBytesPerConnection();
    }

    /** Whether this shard's subscribers together hold more than its share of the queued-bytes budget. */
    boolean overQueuedBudget() {
        return counters.queuedBytes() > settings.queuedBytesBudget();
    }

    void addQueuedBytes(final long delta) {
        counters.queuedBytesChanged(delta);
    }
}
