package io.ticker.server.ingest;

import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.ticker.feed.AeronConnection;
import io.ticker.feed.IdleStrategies;
import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.QuoteMessageCodec;
import io.ticker.server.ring.QuoteRing;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemEpochMicroClock;

/**
 * A feed process's stream, received over Aeron ({@code --feed aeron:udp?...}) and put through the ring with the
 * feed's seq. An agent on its own thread polls the subscription; {@link FeedStreamReceiver} decides what each
 * message does. The Aeron client talks to an embedded media driver unless {@code aeronDir} names an external one.
 */
public final class AeronFeedIngest implements FeedSource, Agent {
    /** What {@code --feed-idle-strategy} takes by default. */
    public static final String IDLE_STRATEGY_DEFAULT = "backoff";
    /** Fragments taken per poll: bounds one {@code doWork()}. */
    public static final int FRAGMENT_LIMIT = 256;

    private final String channel;
    private final int streamId;
    private final AeronConnection connection;
    /** How often a closed client is replaced, at most. */
    public static final long RECONNECT_INTERVAL_NS = 1_000_000_000L;

    private Subscription subscription;
    private long nextReconnectNs;
    private final FeedStreamReceiver receiver;
    private final byte[] message = new byte[QuoteMessageCodec.LENGTH];
    private final FragmentHandler handler = this::onFragment;
    private final AgentRunner runner;
    private final QuoteRing ring;
    private volatile long malformed;

    /**
     * Subscribes to {@code channel}; the thread starts with {@link #start()}.
     *
     * @param idleStrategy a name {@link IdleStrategies#byName} takes; {@code backoff} here parks for at most
     *                     {@link EmbeddedFeed#MAX_PARK_NS}, which bounds the latency it adds
     */
    public AeronFeedIngest(
        final String channel,
        final int streamId,
        final String aeronDir,
        final String idleStrategy,
        final SymbolUniverse universe,
        final long seed,
        final QuoteRing ring) {
        this.channel = channel;
        this.streamId = streamId;
        this.ring = ring;
        receiver = new FeedStreamReceiver(universe, seed, ring::publishSequenced,
            problem -> System.err.println("ticker-server: feed " + channel + ": " + problem),
            new SystemEpochMicroClock());
        connection = AeronConnection.open(aeronDir, "server");
        try {
            subscription = connection.aeron().addSubscription(channel, streamId, AeronFeedIngest::onImageAvailable,
                AeronFeedIngest::onImageUnavailable);
        } catch (final RuntimeException e) {
            connection.close();
            throw e;
        }
        runner = new AgentRunner(idle(idleStrategy), error -> System.err.println("ticker-server: feed: " + error),
            null, this);
    }

    private static IdleStrategy idle(final String name) {
        return IDLE_STRATEGY_DEFAULT.equals(name)
            ? new BackoffIdleStrategy(1, 1, 1_000, EmbeddedFeed.MAX_PARK_NS)
            : IdleStrategies.byName(name);
    }

    @Override
    public void start() {
        AgentRunner.startOnThread(runner);
    }

    @Override
    public int doWork() {
        final int fragments = subscription.poll(handler, FRAGMENT_LIMIT);
        if (fragments > 0) {
            ring.endOfBatch();
        }
        if (fragments == 0 && subscription.isClosed()) {
            reconnect();
        }
        return fragments;
    }

    private void reconnect() {
        final long nowNs = System.nanoTime();
        if (nowNs - nextReconnectNs < 0) {
            return;
        }
        nextReconnectNs = nowNs + RECONNECT_INTERVAL_NS;
        System.err.println("ticker-server: feed: the Aeron client closed (was the process paused?); reconnecting");
        try {
            subscription = connection.reconnect().addSubscription(channel, streamId,
                AeronFeedIngest::onImageAvailable, AeronFeedIngest::onImageUnavailable);
        } catch (final RuntimeException e) {
            System.err.println("ticker-server: feed: cannot reconnect yet: " + e);
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header) {
        if (length != QuoteMessageCodec.LENGTH) {
            malformed = malformed + 1;
            return;
        }
        // 80 bytes into our own array: the codec stays free of Agrona, and the copy costs nothing next to the rest.
        buffer.getBytes(offset, message, 0, QuoteMessageCodec.LENGTH);
        receiver.onMessage(message, 0, header.sessionId());
    }

    @Override
    public String roleName() {
        return "feed-ingest";
    }

    private static void onImageAvailable(final Image image) {
        System.err.println("ticker-server: feed connected: " + image.sourceIdentity() + " session "
            + image.sessionId());
    }

    private static void onImageUnavailable(final Image image) {
        System.err.println("ticker-server: feed lost: " + image.sourceIdentity() + " session " + image.sessionId()
            + "; the last quotes stay served until it is back");
    }

    /** The channel subscribed to. */
    public String channel() {
        return channel + " stream " + streamId;
    }

    /** The receiver's view, for /metrics. */
    public FeedStatus status() {
        return receiver;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(runner, subscription, connection);
    }

    // ---- FeedStatus: the receiver's counters, plus fragments that were not a feed message ----

    @Override
    public long feedMessages() {
        return receiver.feedMessages();
    }

    @Override
    public long feedGaps() {
        return receiver.feedGaps();
    }

    @Override
    public long feedMessagesMissed() {
        return receiver.feedMessagesMissed();
    }

    @Override
    public long feedGapsHealed() {
        return receiver.feedGapsHealed();
    }

    @Override
    public long feedSnapshotQuotesApplied() {
        return receiver.feedSnapshotQuotesApplied();
    }

    @Override
    public long feedMessagesRefused() {
        return receiver.feedMessagesRefused() + malformed;
    }

    @Override
    public long feedUniverseMismatch() {
        return receiver.feedUniverseMismatch();
    }

    @Override
    public long feedLastSeq() {
        return receiver.feedLastSeq();
    }

    @Override
    public long feedLatencyMicrosSum() {
        return receiver.feedLatencyMicrosSum();
    }

    @Override
    public long feedLatencyCount() {
        return receiver.feedLatencyCount();
    }

    @Override
    public long feedLatencyMicrosMax() {
        return receiver.feedLatencyMicrosMax();
    }

    @Override
    public String notLiveReason(final long nowNanos) {
        return receiver.notLiveReason(nowNanos);
    }

    @Override
    public long feedEpoch() {
        return receiver.feedEpoch();
    }

    @Override
    public long feedSessions() {
        return receiver.feedSessions();
    }
}
