package io.ticker.loadgen.connect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.ticker.loadgen.measure.ClientLedger;
import io.ticker.loadgen.measure.RunCounters;
import io.ticker.loadgen.settings.SlowClients;
import io.ticker.protocol.Subprotocols;
import java.util.SplittableRandom;

/**
 * One simulated client's connection: connect, upgrade, subscribe, and on {@code --reconnect} the backoff, failover
 * and resubscribe after a drop. What it receives goes to its {@link ClientLedger}, which outlives the connections.
 * Every method runs on the client's event loop, so the fields need no synchronisation.
 */
public final class SimulatedClient {
    private final int index;
    private final int loop;
    private final ClientPool pool;
    private final String subscribeCommand;
    private final ClientLedger ledger;
    private final SplittableRandom jitter;

    private int endpointIndex;
    private int failedAttempts;
    private boolean everUp;
    private Channel channel;
    private long connectStartNanos;
    private long tcpConnectedNanos;
    private boolean up;
    private boolean binary;

    SimulatedClient(final int index, final int loop, final ClientPool pool, final String subscribeCommand,
        final ClientLedger ledger, final long seed) {
        this.index = index;
        this.loop = loop;
        this.pool = pool;
        this.subscribeCommand = subscribeCommand;
        this.ledger = ledger;
        this.jitter = new SplittableRandom(seed ^ (index * 0x9E3779B97F4A7C15L));
        this.endpointIndex = Math.floorMod(index, pool.endpointCount());
    }

    /** The client's number, 0-based (the observer is -1). */
    public int index() {
        return index;
    }

    /** What the client received, read after the loops stopped. */
    public ClientLedger ledger() {
        return ledger;
    }

    int loop() {
        return loop;
    }

    int endpointIndex() {
        return endpointIndex;
    }

    /**
     * The subscribe to send on the connection just opened, or null for an idle one: after a reconnect, with
     * {@code since} and {@code epoch} where the ledger can resume (unless {@code --no-resume}).
     */
    String subscribeCommand() {
        if (subscribeCommand == null || !pool.settings().resume() || !ledger.resumePoint().canResume()) {
            return subscribeCommand;
        }
        if (!ledger.isObserver()) {
            pool.counters().resumesAsked.increment();
        }
        return ledger.resumePoint().resumeCommand(subscribeCommand);
    }

    /** The upgrade chose {@code subprotocol}: binary frames are read as records only on {@code ticker.v1.binary}. */
    void negotiated(final String subprotocol) {
        binary = Subprotocols.BINARY.equals(subprotocol);
    }

    boolean isBinary() {
        return binary;
    }

    boolean isSlow() {
        return ledger.isSlow();
    }

    void connecting(final Channel newChannel, final long startNanos) {
        channel = newChannel;
        connectStartNanos = startNanos;
        tcpConnectedNanos = 0;
    }

    /** TCP is up; the upgrade starts now. */
    void tcpConnected(final long nowNanos) {
        tcpConnectedNanos = nowNanos;
    }

    Channel channel() {
        return channel;
    }

    /** The upgrade completed: count the connection, time it, subscribe. */
    void onOpen() {
        up = true;
        if (ledger.isObserver()) {
            // the observer is the generator's own instrument: it stays out of the subscribers' figures
            return;
        }
        final RunCounters counters = pool.counters();
        if (everUp || failedAttempts > 0) {
            counters.reconnects.increment();
            ledger.reconnected();
        }
        everUp = true;
        failedAttempts = 0;
        counters.up();
        final long now = System.nanoTime();
        pool.recorder().recordConnect((now - connectStartNanos) / 1_000);
        if (tcpConnectedNanos != 0) {
            pool.recorder().recordUpgrade((now - tcpConnectedNanos) / 1_000);
        }
        if (ledger.isSlow()) {
            final SlowClients how = pool.settings().slowClients();
            SlowReader.start(channel, how, how.pauses() ? jitter.nextLong(how.pauseEvery().toNanos()) : 0);
        }
    }

    /** The connect or upgrade failed; {@code kind} names how. */
    void onConnectFailed(final String kind) {
        if (ledger.isObserver()) {
            pool.counters().error("observer:" + kind);
            return;
        }
        pool.counters().connectFailures.increment();
        pool.counters().error(kind);
        failedAttempts++;
        retry();
    }

    /** The channel closed, for whatever reason. */
    void onClosed() {
        if (!up) {
            return;
        }
        up = false;
        if (ledger.isObserver()) {
            if (pool.isRunning()) {
                pool.observer().markLost();
            }
            return;
        }
        pool.counters().connectionsUp.decrementAndGet();
        if (pool.isRunning()) {
            pool.counters().disconnects.increment();
            failedAttempts++;
            retry();
        }
    }

    private void retry() {
        if (!pool.isRunning() || !pool.settings().reconnect()) {
            return;
        }
        // fail over: the next attempt goes to the next URL, so a dead server sheds its clients onto the others
        endpointIndex = (endpointIndex + 1) % pool.endpointCount();
        final long capMs = pool.settings().reconnectMaxDelay().toMillis();
        final long baseMs = pool.settings().reconnectInitialDelay().toMillis();
        final long ceiling = Math.min(capMs, baseMs << Math.min(20, failedAttempts - 1));
        // "equal jitter": at least half the backoff, so that a mass disconnect does not reconnect in one burst
        final long delayMs = ceiling / 2 + jitter.nextLong(ceiling / 2 + 1);
        pool.scheduleConnect(this, delayMs);
    }

    /** Scans one text frame: a JSON array of events, on either subprotocol. */
    void onText(final ByteBuf content) {
        ledger.frame(content, pool.scanner(loop));
    }

    /** Scans one binary frame: {@code ticker.v1.binary} records. */
    void onBinary(final ByteBuf content) {
        ledger.frame(content, pool.binaryScanner(loop));
    }
}
