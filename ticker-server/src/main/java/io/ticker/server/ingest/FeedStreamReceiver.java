package io.ticker.server.ingest;

import io.ticker.feed.SymbolUniverse;
import io.ticker.feed.UniverseFingerprint;
import io.ticker.protocol.QuoteMessageCodec;
import io.ticker.server.ring.QuoteEvent;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.agrona.concurrent.EpochMicroClock;

/**
 * The receiving end of the feed stream, transport aside: checks the feed's identity, follows its seq, and passes
 * updates on with the feed's seq. Decides, message by message:
 * <ul>
 *     <li>a heartbeat with an epoch, or from an Aeron session, other than the current one starts a new feed session
 *     (the feed restarted, and its seq with it): everything known of the old one is forgotten, and a new-epoch
 *     event goes down the ring ahead of the new session's updates, so the server resets its book and tells every
 *     subscriber; messages of any other session are refused;</li>
 *     <li>nothing is passed on until a heartbeat has shown the feed's universe is this server's (same size and
 *     fingerprint, so the same {@code --symbols} and {@code --seed}); a different one is refused, loudly, for as
 *     long as it lasts;</li>
 *     <li>quote seqs are contiguous, so a jump is a gap: counted, and healed by the next full snapshot (the feed
 *     sends the last quote of every symbol after each heartbeat), which also brings a late joiner up to date;</li>
 *     <li>a quote or snapshot is passed on only if its seq is above the last one passed on for its symbol, so a
 *     client never sees a symbol's seq go back.</li>
 * </ul>
 * Single-threaded (the ingest thread); the counters are readable from any thread.
 */
public final class FeedStreamReceiver implements FeedStatus {
    /**
     * Nothing heard from the feed for this long, not even a heartbeat, and it is not live: three heartbeats of a
     * feed at its default snapshot interval (1 s).
     */
    public static final long FEED_SILENCE_LIMIT_NS = 3_000_000_000L;

    private final int symbols;
    private final long seed;
    private final long fingerprint;
    private final Consumer<QuoteEvent> sink;
    private final Consumer<String> problems;
    private final EpochMicroClock clock;
    private final long[] lastSeqBySymbol;
    // Reused for every update: the sink copies it into a ring slot.
    private final QuoteEvent update = new QuoteEvent();

    private volatile boolean verified;
    private volatile boolean mismatch;
    /** The Aeron session of the current feed session's heartbeats. */
    private int session;
    private volatile long epoch;
    /** Whether the first full snapshot of the current session is in: until then the book may lack symbols. */
    private volatile boolean snapshotLoaded;
    private volatile long heardNanos;
    private volatile long epochs;
    /** The seq the next quote should have; -1 until the first heartbeat or quote sets it. */
    private long expectedSeq = -1;
    private volatile boolean healing;
    private boolean healArmed;
    private int snapshotRemaining;

    private volatile long messages;
    private volatile long gaps;
    private volatile long missed;
    private volatile long healed;
    private volatile long snapshotQuotesApplied;
    private volatile long refused;
    private volatile long lastSeq = -1;
    private volatile long latencyMicrosSum;
    private volatile long latencyCount;
    private volatile long latencyMicrosMax;

    /**
     * A receiver for a server whose universe is {@code universe}, generated from {@code seed}.
     *
     * @param sink     takes each update to pass on (the ring); must copy it
     * @param problems told, once per change, when the feed's identity does not match
     */
    public FeedStreamReceiver(
        final SymbolUniverse universe,
        final long seed,
        final Consumer<QuoteEvent> sink,
        final Consumer<String> problems,
        final EpochMicroClock clock) {
        this.symbols = universe.size();
        this.seed = seed;
        this.fingerprint = UniverseFingerprint.of(universe);
        this.sink = sink;
        this.problems = problems;
        this.clock = clock;
        lastSeqBySymbol = new long[symbols];
        Arrays.fill(lastSeqBySymbol, -1);
    }

    /** Handles one message of {@link QuoteMessageCodec#LENGTH} bytes at {@code offset}, of Aeron session 0. */
    public void onMessage(final byte[] buffer, final int offset) {
        onMessage(buffer, offset, 0);
    }

    /** Handles one message of {@link QuoteMessageCodec#LENGTH} bytes at {@code offset}, of session {@code from}. */
    public void onMessage(final byte[] buffer, final int offset, final int from) {
        messages = messages + 1;
        final byte type = QuoteMessageCodec.type(buffer, offset);
        if (type == QuoteMessageCodec.TYPE_HEARTBEAT) {
            // after the session it belongs to is the current one: a new session's heartbeat must not make the old
            // one look live
            onHeartbeat(buffer, offset, from);
            heardNanos = System.nanoTime();
            return;
        }
        if (from != session) {
            // The old session's last messages, or a new one's before its heartbeat announces its epoch: no sign of
            // life of the session served, which would otherwise look live on the new one's quotes.
            refused = refused + 1;
            return;
        }
        heardNanos = System.nanoTime();
        switch (type) {
            case QuoteMessageCodec.TYPE_QUOTE -> onQuote(buffer, offset);
            case QuoteMessageCodec.TYPE_SNAPSHOT -> onSnapshot(buffer, offset);
            default -> refused = refused + 1;
        }
    }

    private void onQuote(final byte[] buffer, final int offset) {
        final long seq = QuoteMessageCodec.seq(buffer, offset);
        if (expectedSeq >= 0 && seq != expectedSeq) {
            if (seq > expectedSeq) {
                onGap(seq - expectedSeq);
            }
        }
        if (seq >= expectedSeq) {
            expectedSeq = seq + 1;
            lastSeq = seq;
        }
        if (pass(buffer, offset, seq)) {
            final long latencyMicros = clock.microTime() - update.quote.timestampMicros;
            latencyMicrosSum = latencyMicrosSum + latencyMicros;
            latencyCount = latencyCount + 1;
            if (latencyMicros > latencyMicrosMax) {
                latencyMicrosMax = latencyMicros;
            }
        }
    }

    private void onSnapshot(final byte[] buffer, final int offset) {
        if (pass(buffer, offset, QuoteMessageCodec.seq(buffer, offset))) {
            snapshotQuotesApplied = snapshotQuotesApplied + 1;
        }
        if (snapshotRemaining > 0 && --snapshotRemaining == 0) {
            snapshotLoaded = true;
            if (healArmed) {
                healArmed = false;
                healing = false;
                healed = healed + 1;
            }
        }
    }

    private boolean pass(final byte[] buffer, final int offset, final long seq) {
        if (!verified || mismatch) {
            refused = refused + 1;
            return false;
        }
        QuoteMessageCodec.decodeQuote(buffer, offset, update.quote);
        final int symbolId = update.quote.symbolId;
        if (symbolId < 0 || symbolId >= symbols) {
            refused = refused + 1;
            return false;
        }
        if (seq <= lastSeqBySymbol[symbolId]) {
            return false;
        }
        lastSeqBySymbol[symbolId] = seq;
        update.seq = seq;
        sink.accept(update);
        return true;
    }

    private void onHeartbeat(final byte[] buffer, final int offset, final int from) {
        final long feedEpoch = QuoteMessageCodec.heartbeatEpoch(buffer, offset);
        if (!verified || from != session || (feedEpoch != 0 && feedEpoch != epoch)) {
            startSession(from, feedEpoch);
        }
        final int feedSymbols = QuoteMessageCodec.heartbeatSymbols(buffer, offset);
        final long feedFingerprint = QuoteMessageCodec.heartbeatFingerprint(buffer, offset);
        final boolean matches = feedSymbols == symbols && feedFingerprint == fingerprint;
        if (!matches && !mismatch) {
            problems.accept(String.format(Locale.ROOT, "the feed's symbol universe (%d symbols, seed %d) is not "
                + "this server's (%d symbols, seed %d): refusing its quotes; start the server with the feed's "
                + "--symbols and --seed", feedSymbols, QuoteMessageCodec.heartbeatSeed(buffer, offset), symbols,
                seed));
        } else if (matches && mismatch) {
            problems.accept("the feed's symbol universe now matches this server's: taking its quotes");
        }
        mismatch = !matches;
        verified = true;
        final long feedLastSeq = QuoteMessageCodec.seq(buffer, offset);
        if (expectedSeq >= 0 && feedLastSeq >= expectedSeq) {
            onGap(feedLastSeq - expectedSeq + 1);
        }
        if (feedLastSeq + 1 > expectedSeq) {
            expectedSeq = feedLastSeq + 1;
            lastSeq = feedLastSeq;
        }
        snapshotRemaining = QuoteMessageCodec.heartbeatSnapshotCount(buffer, offset);
        if (snapshotRemaining == 0) {
            snapshotLoaded = true;
        }
        healArmed = healing;
        if (healArmed && snapshotRemaining == 0) {
            healArmed = false;
            healing = false;
            healed = healed + 1;
        }
    }

    /**
     * A new feed session: its seq starts again, so nothing followed of the old one holds; the server is told through
     * the ring, ahead of the session's first update. A feed that predates epochs gets one from this server's clock.
     */
    private void startSession(final int from, final long feedEpoch) {
        if (verified) {
            problems.accept("the feed started a new session (epoch " + epoch + " -> " + feedEpoch
                + "): resetting every subscriber to it");
        }
        session = from;
        epoch = feedEpoch != 0 ? feedEpoch : Math.max(1, clock.microTime());
        epochs = epochs + 1;
        Arrays.fill(lastSeqBySymbol, -1);
        expectedSeq = -1;
        lastSeq = -1;
        healing = false;
        healArmed = false;
        snapshotLoaded = false;
        update.newEpoch = epoch;
        sink.accept(update);
        update.newEpoch = 0;
    }

    /**
     * Why the feed is not live at {@code nowNanos} ({@link System#nanoTime()}), or null if it is: heard from within
     * {@link #FEED_SILENCE_LIMIT_NS}, its universe this server's, and its first full snapshot in.
     */
    @Override
    public String notLiveReason(final long nowNanos) {
        if (!verified) {
            return messages == 0 ? "no message from the feed yet" : "waiting for the feed's first heartbeat";
        }
        final long silentNanos = nowNanos - heardNanos;
        if (silentNanos > FEED_SILENCE_LIMIT_NS) {
            return "nothing from the feed for " + silentNanos / 1_000_000 + " ms";
        }
        if (mismatch) {
            return "the feed's symbol universe is not this server's (--symbols, --seed)";
        }
        if (!snapshotLoaded) {
            return "loading the feed's snapshot";
        }
        return null;
    }

    @Override
    public long feedEpoch() {
        return epoch;
    }

    @Override
    public long feedSessions() {
        return epochs;
    }

    private void onGap(final long seqsMissed) {
        gaps = gaps + 1;
        missed = missed + seqsMissed;
        healing = true;
        // A snapshot already under way may have been sent before the lost messages: wait for the next one.
        healArmed = false;
    }

    /** Whether a gap has been seen that no full snapshot has healed yet. */
    public boolean healing() {
        return healing;
    }

    @Override
    public long feedMessages() {
        return messages;
    }

    @Override
    public long feedGaps() {
        return gaps;
    }

    @Override
    public long feedMessagesMissed() {
        return missed;
    }

    @Override
    public long feedGapsHealed() {
        return healed;
    }

    @Override
    public long feedSnapshotQuotesApplied() {
        return snapshotQuotesApplied;
    }

    @Override
    public long feedMessagesRefused() {
        return refused;
    }

    @Override
    public long feedUniverseMismatch() {
        return mismatch ? 1 : 0;
    }

    @Override
    public long feedLastSeq() {
        return lastSeq;
    }

    @Override
    public long feedLatencyMicrosSum() {
        return latencyMicrosSum;
    }

    @Override
    public long feedLatencyCount() {
        return latencyCount;
    }

    @Override
    public long feedLatencyMicrosMax() {
        return latencyMicrosMax;
    }
}
