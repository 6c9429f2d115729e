package io.ticker.server.fanout;

import io.ticker.protocol.BinaryRecords;
import io.ticker.protocol.CloseCodes;
import io.ticker.protocol.ErrorCode;
import io.ticker.server.metrics.Counter;
import io.ticker.server.metrics.LatencyRecorder;
import io.ticker.server.book.LastQuoteBook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * The subscribers owned by one Undertow IO thread, and everything about them: who wants which symbol, the last-quote
 * book for their snapshots, their pending output. Only that IO thread touches a shard's state, so nothing here is
 * locked; the ring thread only {@link #offer}s batches. Each subscriber gets what a batch holds for it as one frame.
 */
public final class FanoutShard implements Runnable {
    /**
     * How long a subscriber we sent a close frame to may take to answer it before its connection is dropped; on a
     * graceful stop, the drain timeout instead ({@link #closeAll}).
     */
    static final long CLOSE_LINGER_NANOS = 2_000_000_000L;
    /** 2^64 over the golden ratio: successive multiples mod 2^64 spread evenly over the range. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Executor owner;
    private final long maxFlushDelayNanos;
    private final DelayedExecutor delayed;
    private final Runnable delayedFlush = this::delayedFlush;
    private boolean flushScheduled;
    private final OneToOneConcurrentArrayQueue<QuoteBatch> inbox =
        new OneToOneConcurrentArrayQueue<>(BatchPublisher.BATCHES_IN_FLIGHT);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final LastQuoteBook book;
    private final Subscriber[][] subscribersBySymbol;
    private final int[] subscriberCountBySymbol;
    private Subscriber[] firehose = new Subscriber[8];
    private int firehoseCount;
    // Per drain, the firehose subscribers split in two: those sent the shard's shared frame of the drain's quotes,
    // and those that build their own (something of theirs is pending or in flight, or their sink cannot share).
    private Subscriber[] sharing = new Subscriber[8];
    private int sharingCount;
    private int sharingBinaryCount;
    private Subscriber[] copying = new Subscriber[8];
    private int copyingCount;
    private FirehoseFrame sharedJson;
    private FirehoseFrame sharedBinary;
    private Subscriber[] touched = new Subscriber[64];
    private int touchedCount;
    private final List<Subscriber> connected = new ArrayList<>();
    /** A copy of {@link #connected} to walk: closing a subscriber can take it out of the list during the walk. */
    private Subscriber[] walk = new Subscriber[64];
    private long pingPhase;
    /** Set by {@link #closeAll}: the linger of a graceful stop, which replaces {@link #CLOSE_LINGER_NANOS}. */
    private long drainLingerNanos = -1;
    /** The feed session this shard's book and subscribers follow: what acks carry. IO thread. */
    private long epoch;

    private final Counter quotesDelivered = new Counter();
    private final Counter quotesConflated = new Counter();
    private final Counter framesSent = new Counter();
    private final Counter bytesSent = new Counter();
    private final Counter connectionsOpened = new Counter();
    private final Counter subscriptions = new Counter();
    private final Counter connections = new Counter();
    private final Counter firehoseSubscribers = new Counter();
    private final Counter stalledClosed = new Counter();
    private final Counter queueLimitClosed = new Counter();
    /** Bytes this shard's subscribers hold for clients that have not taken their last frame. */
    private final Counter queuedBytes = new Counter();
    private long maxQueuedBytesPerConnection = Long.MAX_VALUE;
    /** Firehose subscribers of every shard: one count, shared, so the cap is server-wide. Cold path only. */
    private AtomicInteger firehoseSlots = new AtomicInteger();
    private int maxFirehoseSubscribers = Integer.MAX_VALUE;
    private long idleTimeoutNanos = Long.MAX_VALUE;
    private long queuedBytesBudget = Long.MAX_VALUE;
    private final Counter[] errors = new Counter[ErrorCode.values().length];
    private final LatencyRecorder ringToSocket = new LatencyRecorder();

    /**
     * A shard over {@code symbolCount} symbols whose subscribers all belong to {@code owner}: in the server an
     * Undertow IO thread, which runs every drain and every command of those subscribers.
     */
    public FanoutShard(final Executor owner, final int symbolCount) {
        this(owner, symbolCount, 0, null);
    }

    /**
     * A shard that may hold its subscribers' output for up to {@code maxFlushDelayNanos} after a drain, so that
     * several ring batches share one frame and one write per subscriber: fewer system calls per quote, at most that
     * much added latency. 0 flushes at the end of every drain (the default). {@code delayed} runs a task on the
     * owner thread after a delay; it is needed only when the delay is above 0.
     */
    public FanoutShard(
        final Executor owner, final int symbolCount, final long maxFlushDelayNanos, final DelayedExecutor delayed) {
        if (maxFlushDelayNanos > 0 && delayed == null) {
            throw new IllegalArgumentException("a flush delay needs a DelayedExecutor");
        }
        this.maxFlushDelayNanos = maxFlushDelayNanos;
        this.delayed = delayed;
        this.owner = owner;
        this.book = new LastQuoteBook(symbolCount);
        this.subscribersBySymbol = new Subscriber[symbolCount][];
        this.subscriberCountBySymbol = new int[symbolCount];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = new Counter();
        }
    }

    /**
     * Caps what this shard's subscribers may hold for clients that do not take their frames: {@code perConnection}
     * for each, {@code shardBudget} for all of them together (this shard's share of the server's budget). A
     * subscriber over either is closed with 1008. Before the first connection; unlimited until called.
     */
    public void limitQueuedBytes(final long perConnection, final long shardBudget) {
        this.maxQueuedBytesPerConnection = perConnection;
        this.queuedBytesBudget = shardBudget;
    }

    /**
     * Caps firehose subscribers across every shard sharing {@code slots} at {@code max}; more get
     * SUBSCRIPTION_LIMIT. Before the first connection; unlimited until called.
     */
    public void limitFirehose(final AtomicInteger slots, final int max) {
        this.firehoseSlots = slots;
        this.maxFirehoseSubscribers = max;
    }

    /** Takes a server-wide firehose slot, given back in {@link #unindexFirehose}; false when none is free. */
    boolean tryTakeFirehoseSlot() {
        if (firehoseSlots.incrementAndGet() > maxFirehoseSubscribers) {
            firehoseSlots.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Closes, with 1008, connections that send no command within {@code idleTimeoutNanos} of connecting. Before the
     * first connection; never until called.
     */
    public void limitIdle(final long idleTimeoutNanos) {
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    long maxQueuedBytesPerConnection() {
        return maxQueuedBytesPerConnection;
    }

    /** Whether this shard's subscribers together hold more than its share of the queued-bytes budget. */
    boolean overQueuedBudget() {
        return queuedBytes.get() > queuedBytesBudget;
    }

    void addQueuedBytes(final long delta) {
        queuedBytes.add(delta);
    }

    void countQueueLimitClosed() {
        queueLimitClosed.increment();
    }

    /** The thread (an executor) that owns this shard. */
    public Executor owner() {
        return owner;
    }

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
        drainScheduled.set(false);
        splitFirehose();
        QuoteBatch batch;
        while ((batch = inbox.poll()) != null) {
            deliver(batch);
            batch.release();
        }
        if (maxFlushDelayNanos == 0) {
            sendShared();
            flushTouched();
        } else if (touchedCount > 0 && !flushScheduled) {
            // The first drain with output starts the clock; later drains add to the same frames until it runs.
            flushScheduled = true;
            delayed.executeAfter(delayedFlush, maxFlushDelayNanos);
        }
    }

    private void delayedFlush() {
        flushScheduled = false;
        flushTouched();
    }

    /** Runs a task on the shard's owner thread after a delay: the IO thread's timer in the server. */
    @FunctionalInterface
    public interface DelayedExecutor {
        /** Runs {@code task} on the owner thread no sooner than {@code delayNanos} from now. */
        void executeAfter(Runnable task, long delayNanos);
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
            final Subscriber[] subscribers = subscribersBySymbol[symbolId];
            for (int s = subscriberCountBySymbol[symbolId] - 1; s >= 0; s--) {
                offerQuote(subscribers[s], symbolId, bytes, offset, length, records, recordOffset, publishNanos);
            }
            if (sharingCount > 0) {
                makeSharedRoom(length);
            }
            for (int s = 0; s < copyingCount; s++) {
                offerQuote(copying[s], symbolId, bytes, offset, length, records, recordOffset, publishNanos);
            }
            if (sharingJson()) {
                sharedJson.append(bytes, offset, length, publishNanos);
            }
            if (sharingBinaryCount > 0) {
                sharedBinary.append(records, recordOffset, BinaryRecords.QUOTE_LENGTH, publishNanos);
            }
        }
    }

    /**
     * A new feed session: everything of the old one that is pending goes out first, then the book is emptied and
     * every subscriber gets the reset (and snapshots, of which a just-emptied book has none: the new session's
     * quotes follow as they come). The firehose split is made again, since the reset is pending output of its own.
     */
    private void startEpoch(final long newEpoch) {
        sendShared();
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

    /**
     * Drain start: which firehose subscribers get the shared frame this time. Sharing needs the frame to go out at
     * the end of this drain; with a flush delay, a command between drains could put an ack before quotes older than
     * it, so then everyone builds their own.
     */
    private void splitFirehose() {
        sharingCount = 0;
        sharingBinaryCount = 0;
        copyingCount = 0;
        for (int s = 0; s < firehoseCount; s++) {
            final Subscriber subscriber = firehose[s];
            if (maxFlushDelayNanos == 0 && subscriber.canShareFrames()) {
                addSharing(subscriber);
            } else {
                addCopying(subscriber);
            }
        }
    }

    private boolean sharingJson() {
        return sharingCount > sharingBinaryCount;
    }

    private void addSharing(final Subscriber subscriber) {
        if (sharingCount == sharing.length) {
            sharing = Arrays.copyOf(sharing, sharingCount * 2);
        }
        sharing[sharingCount++] = subscriber;
        if (subscriber.isBinary()) {
            sharingBinaryCount++;
            if (sharedBinary == null) {
                sharedBinary = new FirehoseFrame(true);
            }
        } else if (sharedJson == null) {
            sharedJson = new FirehoseFrame(false);
        }
    }

    private void addCopying(final Subscriber subscriber) {
        if (copyingCount == copying.length) {
            copying = Arrays.copyOf(copying, copyingCount * 2);
        }
        copying[copyingCount++] = subscriber;
    }

    /** Sends the shared frames first if one more quote would take them past the frame cap. */
    private void makeSharedRoom(final int jsonLength) {
        if ((sharingJson() && !sharedJson.fits(jsonLength))
            || (sharingBinaryCount > 0 && !sharedBinary.fits(BinaryRecords.QUOTE_LENGTH))) {
            sendShared();
        }
    }

    /**
     * Sends the shared frames to their subscribers. One whose socket could not take a whole frame builds its own
     * from now on (its next quotes conflate behind the rest the sink kept), like any subscriber with a frame in flight.
     */
    private void sendShared() {
        int kept = 0;
        for (int s = 0; s < sharingCount; s++) {
            final Subscriber subscriber = sharing[s];
            sharing[s] = null;
            final boolean binary = subscriber.isBinary();
            final FirehoseFrame frame = binary ? sharedBinary : sharedJson;
            if (frame.quotes() == 0) {
                sharing[kept++] = subscriber;
                continue;
            }
            quotesDelivered.add(frame.quotes());
            if (subscriber.sendShared(frame)) {
                sharing[kept++] = subscriber;
            } else {
                if (binary) {
                    sharingBinaryCount--;
                }
                if (!subscriber.isClosing()) {
                    addCopying(subscriber);
                }
            }
        }
        sharingCount = kept;
        if (sharedJson != null) {
            sharedJson.clear();
        }
        if (sharedBinary != null) {
            sharedBinary.clear();
        }
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
        if (subscriber.offerQuote(symbolId, bytes, offset, length, records, recordOffset, publishNanos)) {
            quotesDelivered.increment();
        } else {
            quotesConflated.increment();
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

    /**
     * IO thread, a few times a second: closes subscribers stuck behind one unfinished frame for longer than
     * {@code stallTimeoutNanos} (they read nothing; conflation kept their memory bounded, this frees it), closes
     * those not heard from for three ping intervals (a pong, a command, anything: how a half-open connection is
     * found), drops those that have not answered a close within {@link #CLOSE_LINGER_NANOS}, pings each of the
     * rest once per {@code pingIntervalNanos}, at its own phase of the interval, and while the shard holds more
     * queued output than its budget, closes the subscriber that holds the most.
     */
    public void housekeep(final long nowNanos, final long pingIntervalNanos, final long stallTimeoutNanos) {
        final long silenceLimitNanos = 3 * pingIntervalNanos;
        final long lingerNanos = drainLingerNanos >= 0
            ? drainLingerNanos : Math.min(silenceLimitNanos, CLOSE_LINGER_NANOS);
        final int count = copyConnected();
        Subscriber mostQueued = null;
        for (int i = 0; i < count; i++) {
            final Subscriber subscriber = walk[i];
            walk[i] = null;
            if (mostQueued == null || subscriber.queuedBytes() > mostQueued.queuedBytes()) {
                mostQueued = subscriber;
            }
            if (subscriber.isClosing()) {
                if (nowNanos - subscriber.closingSinceNanos() > lingerNanos) {
                    subscriber.abort();
                }
            } else if (subscriber.stalledNanos(nowNanos) > stallTimeoutNanos) {
                stalledClosed.increment();
                // A close the client must answer: one that reads gets the 1008; one that does not is reset after
                // CLOSE_LINGER_NANOS, which frees its socket's kernel memory at once.
                subscriber.close(CloseCodes.POLICY_VIOLATION, "not reading: no frame taken for "
                    + stallTimeoutNanos / 1_000_000 + " ms");
            } else if (subscriber.idleNanos(nowNanos) > idleTimeoutNanos) {
                subscriber.closeAndDisconnect(CloseCodes.POLICY_VIOLATION, "no command within "
                    + idleTimeoutNanos / 1_000_000_000 + " s of connecting");
            } else if (nowNanos - subscriber.lastHeardNanos() > silenceLimitNanos) {
                subscriber.closeAndDisconnect(CloseCodes.POLICY_VIOLATION,
                    "nothing received within three ping intervals");
            } else if (pingDue(subscriber, nowNanos, pingIntervalNanos)) {
                subscriber.ping();
            }
        }
        if (mostQueued != null && overQueuedBudget()) {
            // over budget with nobody growing (each growth is checked): the worst offender goes, one per pass
            mostQueued.closeOverBudget();
        }
    }

    /**
     * Whether {@code subscriber}'s ping is due, scheduling the next one. Pinging every connection in the same pass
     * makes a burst of a thousand pings, and then of a thousand pongs to read, that holds up one tick's quotes by
     * milliseconds every interval (with a thousand connections it more than doubles the p99.9). So each
     * subscriber gets its own phase, spread over the interval by the golden-ratio sequence: connections that arrive
     * together are still pinged apart.
     */
    private boolean pingDue(final Subscriber subscriber, final long nowNanos, final long pingIntervalNanos) {
        final long due = subscriber.nextPingNanos;
        if (due == Subscriber.PING_UNSCHEDULED) {
            pingPhase += GOLDEN_GAMMA;
            final double fraction = (pingPhase >>> 11) * 0x1.0p-53;
            subscriber.nextPingNanos = nowNanos + (long) (fraction * pingIntervalNanos);
            return false;
        }
        if (nowNanos - due < 0) {
            return false;
        }
        final long next = due + pingIntervalNanos;
        // a pass that came late (a long GC, a suspended VM) must not turn into a ping per pass
        subscriber.nextPingNanos = nowNanos - next < 0 ? next : nowNanos + pingIntervalNanos;
        return true;
    }

    /**
     * IO thread: sends every subscriber a close frame with {@code code}, as on a graceful stop, and gives each up to
     * {@code lingerNanos} (the drain timeout) to answer it before its connection is dropped.
     */
    public void closeAll(final int code, final String reason, final long lingerNanos) {
        drainLingerNanos = lingerNanos;
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

    LastQuoteBook book() {
        return book;
    }

    /** IO thread: a new connection on this shard. */
    void add(final Subscriber subscriber) {
        connected.add(subscriber);
        connections.increment();
        connectionsOpened.increment();
    }

    /** IO thread: stops all delivery to {@code subscriber}; it stays counted until its channel closes. */
    void detach(final Subscriber subscriber) {
        subscriber.forEachSymbol(symbolId -> unindex(subscriber, symbolId));
        subscriptions.add(-subscriber.symbolCount());
        if (subscriber.isFirehose()) {
            unindexFirehose(subscriber);
        }
    }

    /** IO thread: the channel of {@code subscriber} has closed. */
    void remove(final Subscriber subscriber) {
        if (connected.remove(subscriber)) {
            connections.add(-1);
        }
    }

    /** IO thread: every connected subscriber, for pings and drain. */
    List<Subscriber> connected() {
        return connected;
    }

    void index(final Subscriber subscriber, final int symbolId) {
        Subscriber[] subscribers = subscribersBySymbol[symbolId];
        final int count = subscriberCountBySymbol[symbolId];
        if (subscribers == null) {
            subscribers = new Subscriber[4];
            subscribersBySymbol[symbolId] = subscribers;
        } else if (count == subscribers.length) {
            subscribers = Arrays.copyOf(subscribers, count * 2);
            subscribersBySymbol[symbolId] = subscribers;
        }
        subscribers[count] = subscriber;
        subscriberCountBySymbol[symbolId] = count + 1;
    }

    void unindex(final Subscriber subscriber, final int symbolId) {
        final Subscriber[] subscribers = subscribersBySymbol[symbolId];
        final int count = subscriberCountBySymbol[symbolId];
        for (int i = 0; i < count; i++) {
            if (subscribers[i] == subscriber) {
                subscribers[i] = subscribers[count - 1];
                subscribers[count - 1] = null;
                subscriberCountBySymbol[symbolId] = count - 1;
                return;
            }
        }
    }

    void indexFirehose(final Subscriber subscriber) {
        firehoseSubscribers.increment();
        if (firehoseCount == firehose.length) {
            firehose = Arrays.copyOf(firehose, firehoseCount * 2);
        }
        firehose[firehoseCount++] = subscriber;
    }

    void unindexFirehose(final Subscriber subscriber) {
        firehoseSubscribers.add(-1);
        firehoseSlots.decrementAndGet();
        for (int i = 0; i < firehoseCount; i++) {
            if (firehose[i] == subscriber) {
                firehose[i] = firehose[--firehoseCount];
                firehose[firehoseCount] = null;
                return;
            }
        }
    }

    void countSubscriptions(final int delta) {
        subscriptions.add(delta);
    }

    void countFrame(final int bytes) {
        framesSent.increment();
        bytesSent.add(bytes);
    }

    void countError(final ErrorCode code) {
        errors[code.ordinal()].increment();
    }

    /** IO thread: a frame went out {@code nanos} after the oldest update in it entered the ring. */
    void recordRingToSocket(final long nanos) {
        ringToSocket.recordMicros(nanos / 1_000);
    }

    /** Ring-to-socket latencies of this shard's frames, recorded on its IO thread. */
    public LatencyRecorder ringToSocketLatency() {
        return ringToSocket;
    }

    public long quotesDelivered() {
        return quotesDelivered.get();
    }

    public long quotesConflated() {
        return quotesConflated.get();
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public long connections() {
        return connections.get();
    }

    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    public long stalledClosed() {
        return stalledClosed.get();
    }

    /** Subscribers closed for queuing more than their cap, or growing while the budget was spent. */
    public long queueLimitClosed() {
        return queueLimitClosed.get();
    }

    /** Bytes held now for clients that have not taken their last frame. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    public long firehoseSubscribers() {
        return firehoseSubscribers.get();
    }

    public long subscriptions() {
        return subscriptions.get();
    }

    public long errors(final ErrorCode code) {
        return errors[code.ordinal()].get();
    }
}
