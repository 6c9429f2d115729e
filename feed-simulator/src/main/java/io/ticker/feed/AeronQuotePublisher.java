package io.ticker.feed;

import io.aeron.Publication;
import io.ticker.protocol.Quote;
import io.ticker.protocol.QuoteMessageCodec;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochMicroClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochMicroClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The feed's sequencer and Aeron publisher: gives every quote the next {@code seq} (from 0, contiguous), and sends
 * it as a {@link QuoteMessageCodec} message on every publication, so every server that carries the feed shows the
 * same seq. As an agent, every {@code snapshotIntervalNs} it sends a heartbeat followed by a snapshot message of
 * every symbol quoted so far (its last quote with its own seq): a server that joined late or lost messages has the
 * current state within one interval. The heartbeat also goes out at once when a publication gets its first receiver,
 * and it carries the publisher's epoch, made when it starts (the wall clock in microseconds): the seq starts from 0
 * again after a restart, and the new epoch is how a server tells that its book belongs to a feed that is gone. It is
 * also the feed's sign of life while the market is quiet.
 *
 * <p>A publication that is back-pressured is retried for up to {@link #OFFER_TIMEOUT_NS}; a message that still
 * does not go is counted as dropped, and the receivers see the seq jump (a gap, healed by the next snapshot). After
 * such a time-out the publication is marked stuck (its receiver stopped, say) and gets no more waiting, only a try
 * per message, until it takes one again: one stuck server must not slow the feed of the others. A publication
 * nobody subscribes to yet ({@code NOT_CONNECTED}) is skipped. Single-threaded: the feed thread calls
 * {@link #onQuote} and {@link #doWork()}; counters may be read from any thread.
 */
public final class AeronQuotePublisher implements QuoteSink, Agent {
    /** How often the full snapshot goes out, when none is asked for. */
    public static final String SNAPSHOT_INTERVAL_DEFAULT = "1s";
    /** How long one message waits for a back-pressured publication before it is dropped. */
    public static final long OFFER_TIMEOUT_NS = 50_000_000L;

    private final SymbolUniverse universe;
    private final long seed;
    private final long fingerprint;
    private final Publication[] publications;
    private final boolean[] stuck;
    private final boolean[] connected;
    private final long epoch;
    private final long snapshotIntervalNs;
    private final NanoClock nanoClock;
    private final EpochMicroClock epochMicroClock;
    private final byte[] message = new byte[QuoteMessageCodec.LENGTH];
    private final UnsafeBuffer messageBuffer = new UnsafeBuffer(message);
    private final Quote[] lastQuotes;
    private final long[] lastSeqs;
    private int symbolsQuoted;
    private long nextSeq;
    private long nextSnapshotNs;
    private volatile long messagesSent;
    private volatile long messagesDropped;
    private volatile long snapshotsSent;

    /** Publishes quotes of {@code universe} (generated from {@code seed}) on {@code publications}. */
    public AeronQuotePublisher(
        final SymbolUniverse universe,
        final long seed,
        final List<? extends Publication> publications,
        final long snapshotIntervalNs) {
        this(universe, seed, publications, snapshotIntervalNs, SystemNanoClock.INSTANCE, new SystemEpochMicroClock());
    }

    /** As above, on the given clocks. */
    public AeronQuotePublisher(
        final SymbolUniverse universe,
        final long seed,
        final List<? extends Publication> publications,
        final long snapshotIntervalNs,
        final NanoClock nanoClock,
        final EpochMicroClock epochMicroClock) {
        if (snapshotIntervalNs <= 0) {
            throw new IllegalArgumentException("snapshot interval must be positive, was " + snapshotIntervalNs);
        }
        this.universe = universe;
        this.seed = seed;
        this.fingerprint = UniverseFingerprint.of(universe);
        this.publications = publications.toArray(new Publication[0]);
        this.stuck = new boolean[this.publications.length];
        this.connected = new boolean[this.publications.length];
        this.snapshotIntervalNs = snapshotIntervalNs;
        this.nanoClock = nanoClock;
        this.epochMicroClock = epochMicroClock;
        // a restart takes longer than a microsecond, so each session's epoch differs from the last one's
        this.epoch = Math.max(1, epochMicroClock.microTime());
        lastQuotes = new Quote[universe.size()];
        lastSeqs = new long[universe.size()];
        for (int id = 0; id < lastQuotes.length; id++) {
            lastQuotes[id] = new Quote();
            lastSeqs[id] = -1;
        }
        nextSnapshotNs = nanoClock.nanoTime() + snapshotIntervalNs;
    }

    /** Sequences {@code quote} and sends it. */
    @Override
    public void onQuote(final Quote quote) {
        final long seq = nextSeq++;
        final int symbolId = quote.symbolId;
        if (lastSeqs[symbolId] < 0) {
            symbolsQuoted++;
        }
        lastQuotes[symbolId].copyFrom(quote);
        lastSeqs[symbolId] = seq;
        QuoteMessageCodec.encodeQuote(message, 0, QuoteMessageCodec.TYPE_QUOTE, seq, quote);
        send();
    }

    /**
     * Sends the heartbeat and snapshot when due.
     *
     * @return messages sent
     */
    @Override
    public int doWork() {
        final long nowNs = nanoClock.nanoTime();
        if (nowNs - nextSnapshotNs < 0 && !receiverArrived()) {
            return 0;
        }
        nextSnapshotNs = nowNs + snapshotIntervalNs;
        return sendSnapshot();
    }

    /** Whether a publication has a receiver that it did not have at the last call: it gets the heartbeat now. */
    private boolean receiverArrived() {
        boolean arrived = false;
        for (int i = 0; i < publications.length; i++) {
            final boolean now = publications[i].isConnected();
            arrived |= now && !connected[i];
            connected[i] = now;
        }
        return arrived;
    }

    /** This session's epoch: positive, and different from that of any earlier start of the feed. */
    public long epoch() {
        return epoch;
    }

    /**
     * Sends a heartbeat and the last quote of every symbol quoted so far, now.
     *
     * @return messages sent
     */
    public int sendSnapshot() {
        QuoteMessageCodec.encodeHeartbeat(message, 0, universe.size(), nextSeq - 1, seed, fingerprint,
            symbolsQuoted, epoch, epochMicroClock.microTime());
        send();
        for (int id = 0; id < lastQuotes.length; id++) {
            if (lastSeqs[id] >= 0) {
                QuoteMessageCodec.encodeQuote(message, 0, QuoteMessageCodec.TYPE_SNAPSHOT, lastSeqs[id],
                    lastQuotes[id]);
                send();
            }
        }
        snapshotsSent = snapshotsSent + 1;
        return symbolsQuoted + 1;
    }

    @Override
    public String roleName() {
        return "feed-publisher";
    }

    private void send() {
        for (int i = 0; i < publications.length; i++) {
            final long result = publications[i].offer(messageBuffer, 0, QuoteMessageCodec.LENGTH);
            if (result > 0) {
                messagesSent = messagesSent + 1;
                stuck[i] = false;
            } else if (result != Publication.NOT_CONNECTED) {
                if (stuck[i] && (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION)) {
                    messagesDropped = messagesDropped + 1;
                } else {
                    stuck[i] = !retry(publications[i], result);
                }
            }
        }
    }

    /** Retries a back-pressured offer for up to {@link #OFFER_TIMEOUT_NS}; false if it timed out. */
    private boolean retry(final Publication publication, final long firstResult) {
        final long deadlineNs = System.nanoTime() + OFFER_TIMEOUT_NS;
        long result = firstResult;
        while (result == Publication.BACK_PRESSURED || result == Publication.ADMIN_ACTION) {
            if (System.nanoTime() - deadlineNs > 0) {
                messagesDropped = messagesDropped + 1;
                return false;
            }
            LockSupport.parkNanos(1_000);
            result = publication.offer(messageBuffer, 0, QuoteMessageCodec.LENGTH);
        }
        if (result > 0) {
            messagesSent = messagesSent + 1;
        } else if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            throw new IllegalStateException("publication " + publication.channel() + " cannot take more: "
                + Publication.errorString(result));
        }
        return true;
    }

    /** The seq the next quote gets, which is also the number of quotes sequenced. */
    public long nextSeq() {
        return nextSeq;
    }

    /** Messages (quotes, snapshots, heartbeats) taken by a publication, counted once per publication. */
    public long messagesSent() {
        return messagesSent;
    }

    /** Messages given up after a publication stayed back-pressured for {@link #OFFER_TIMEOUT_NS}. */
    public long messagesDropped() {
        return messagesDropped;
    }

    /** Full snapshots sent. */
    public long snapshotsSent() {
        return snapshotsSent;
    }
}
