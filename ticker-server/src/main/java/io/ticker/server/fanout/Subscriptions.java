package io.ticker.server.fanout;

import io.ticker.feed.SymbolUniverse;
import io.ticker.protocol.Command;
import io.ticker.protocol.ErrorCode;
import io.ticker.protocol.EventJson;
import io.ticker.protocol.Recovery;
import io.ticker.server.book.LastQuoteBook;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.agrona.collections.IntHashSet;

/**
 * What one subscriber follows, and the {@code subscribe} and {@code unsubscribe} commands that change it: the
 * acks, the errors, the shard's index, the snapshots. One subscription model: symbols by name and the firehose. A
 * symbol is covered by either or both, and a covered symbol is indexed once (the firehose list, or the symbol's list
 * when not on the firehose), so each of its quotes reaches the subscriber once; its snapshot goes out only when it
 * becomes covered (see {@link SeqsHeld}). Commands only, on the owning IO thread: nothing here runs per update.
 */
final class Subscriptions {
    /** Unknown symbols named in one error, at most: the error says which, not the whole command back. */
    private static final int UNKNOWN_NAMED_MAX = 20;

    private final Subscriber subscriber;
    private final FanoutShard shard;
    private final SymbolUniverse universe;
    private final int maxSubscriptions;
    private final IntHashSet symbols = new IntHashSet();
    private boolean firehose;
    private final SeqsHeld seqsHeld = new SeqsHeld();

    Subscriptions(
        final Subscriber subscriber,
        final FanoutShard shard,
        final SymbolUniverse universe,
        final int maxSubscriptions) {
        this.subscriber = subscriber;
        this.shard = shard;
        this.universe = universe;
        this.maxSubscriptions = maxSubscriptions;
    }

    /** Subscribes to the named symbols ({@code *} for all): the ack, then the snapshot of each newly covered one. */
    void subscribe(final String id, final List<String> names) {
        subscribe(id, names, Command.NO_SINCE, Command.NO_EPOCH);
    }

    /**
     * Subscribes to the named symbols ({@code *} for all) and acks. With {@code since} (not {@link Command#NO_SINCE})
     * the client resumes: when the shard's history holds every update of the newly covered symbols after it, those
     * go out replayed, in seq order, instead of snapshots, and the ack says {@code recovered:true}; otherwise it says
     * {@code recovered:false} and why, and snapshots go out as for a plain subscribe.
     */
    void subscribe(final String id, final List<String> names, final long since, final long epoch) {
        if (names.contains(Command.ALL_SYMBOLS)) {
            subscribeAll(id, since, epoch);
            return;
        }
        final List<String> accepted = new ArrayList<>(names.size());
        final List<String> unknown = new ArrayList<>();
        final IntHashSet added = new IntHashSet();
        for (final String name : names) {
            final int symbolId = universe.idOf(name);
            if (symbolId < 0) {
                unknown.add(name);
                continue;
            }
            if (!symbols.contains(symbolId) && symbols.size() + added.size() >= maxSubscriptions) {
                subscriber.error(id, ErrorCode.SUBSCRIPTION_LIMIT, "subscribing to " + name
                    + " would exceed the limit of " + maxSubscriptions + " symbols per connection");
                break;
            }
            if (!accepted.contains(name)) {
                accepted.add(name);
            }
            if (!symbols.contains(symbolId)) {
                added.add(symbolId);
            }
        }
        unknownError(id, unknown);
        if (accepted.isEmpty()) {
            return;
        }
        String notRecovered = null;
        if (since != Command.NO_SINCE) {
            if (!firehose) {
                final IntHashSet.IntIterator wanted = added.iterator();
                while (wanted.hasNext()) {
                    shard.replay().want(wanted.nextValue());
                }
            }
            notRecovered = shard.replay().collect(since, epoch, shard.epoch(), false);
        }
        subscriber.appendEvent(EventJson.subscribed(id, accepted, shard.epoch(), openPricesOf(accepted),
            recovery(since, notRecovered), notRecovered));
        final boolean replaying = since != Command.NO_SINCE && notRecovered == null;
        final IntHashSet.IntIterator newIds = added.iterator();
        while (newIds.hasNext()) {
            final int symbolId = newIds.nextValue();
            symbols.add(symbolId);
            if (!firehose) {
                // newly covered; on the firehose it already was, and has every quote of it
                shard.index(subscriber, symbolId);
                covered(symbolId, replaying);
            }
        }
        if (replaying) {
            subscriber.appendReplay(shard.replay());
        }
        shard.counters().subscriptionsChanged(added.size());
    }

    /**
     * A symbol the subscriber did not have is now covered: a resume's replay brings its updates, else its snapshot
     * goes out if the book holds something newer than the subscriber has.
     */
    private void covered(final int symbolId, final boolean replaying) {
        if (replaying) {
            seqsHeld.covered(symbolId);
        } else {
            appendSnapshotIfNewer(symbolId);
        }
    }

    private static Recovery recovery(final long since, final String notRecovered) {
        if (since == Command.NO_SINCE) {
            return Recovery.NOT_ASKED;
        }
        return notRecovered == null ? Recovery.RECOVERED : Recovery.NOT_RECOVERED;
    }

    /**
     * The reference price of each symbol: the price the feed's session starts it from (every session of a universe
     * starts from the same prices), so a client measures change from it rather than from the first quote it saw.
     */
    private long[] openPricesOf(final List<String> names) {
        final long[] prices = new long[names.size()];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = universe.basePrice(universe.idOf(names.get(i)));
        }
        return prices;
    }

    private void subscribeAll(final String id, final long since, final long epoch) {
        if (!firehose && universe.size() > maxSubscriptions) {
            // every symbol is a subscription like any other: the firehose is no way around the per-connection cap
            subscriber.error(id, ErrorCode.SUBSCRIPTION_LIMIT, "'*' is " + universe.size()
                + " symbols, more than the limit of " + maxSubscriptions + " symbols per connection");
            return;
        }
        if (!firehose && !shard.tryTakeFirehoseSlot()) {
            subscriber.error(id, ErrorCode.SUBSCRIPTION_LIMIT, "the server's firehose subscribers are at their "
                + "limit; subscribe to the symbols you need");
            return;
        }
        String notRecovered = null;
        if (since != Command.NO_SINCE) {
            if (!firehose) {
                for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
                    if (!symbols.contains(symbolId)) {
                        shard.replay().want(symbolId);
                    }
                }
            }
            notRecovered = shard.replay().collect(since, epoch, shard.epoch(), false);
        }
        subscriber.appendEvent(EventJson.subscribed(id, List.of(Command.ALL_SYMBOLS), shard.epoch(), null,
            recovery(since, notRecovered), notRecovered));
        final boolean replaying = since != Command.NO_SINCE && notRecovered == null;
        if (!firehose) {
            firehose = true;
            forEachSymbol(symbolId -> shard.unindex(subscriber, symbolId));
            shard.indexFirehose(subscriber);
            for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
                if (!symbols.contains(symbolId)) {
                    covered(symbolId, replaying);
                }
            }
            if (replaying) {
                subscriber.appendReplay(shard.replay());
            }
        }
    }

    /** Unsubscribes from the named symbols ({@code *} ends the firehose) and acks. */
    void unsubscribe(final String id, final List<String> names) {
        final List<String> removed = new ArrayList<>(names.size());
        final List<String> unknown = new ArrayList<>();
        for (final String name : names) {
            if (Command.ALL_SYMBOLS.equals(name)) {
                if (firehose) {
                    firehose = false;
                    shard.unindexFirehose(subscriber);
                    forEachSymbol(symbolId -> shard.index(subscriber, symbolId));
                    for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
                        if (!symbols.contains(symbolId)) {
                            seqsHeld.uncovered(symbolId, shard.book(), subscriber.dropPending(symbolId));
                        }
                    }
                }
                removed.add(name);
                continue;
            }
            final int symbolId = universe.idOf(name);
            if (symbolId < 0) {
                unknown.add(name);
                continue;
            }
            if (symbols.remove(symbolId)) {
                if (!firehose) {
                    shard.unindex(subscriber, symbolId);
                    seqsHeld.uncovered(symbolId, shard.book(), subscriber.dropPending(symbolId));
                }
                shard.counters().subscriptionsChanged(-1);
            }
            removed.add(name);
        }
        unknownError(id, unknown);
        if (!removed.isEmpty()) {
            subscriber.appendEvent(EventJson.unsubscribed(id, removed));
        }
    }

    private void unknownError(final String id, final List<String> unknown) {
        if (!unknown.isEmpty()) {
            subscriber.error(id, ErrorCode.UNKNOWN_SYMBOL, "unknown symbol" + (unknown.size() > 1 ? "s " : " ")
                + String.join(", ", unknown.subList(0, Math.min(unknown.size(), UNKNOWN_NAMED_MAX))));
        }
    }

    /** A symbol has just become covered: its snapshot, unless the subscriber already holds that quote or a newer. */
    private void appendSnapshotIfNewer(final int symbolId) {
        if (seqsHeld.coveredNeedsSnapshot(symbolId, shard.book())) {
            subscriber.appendSnapshot(symbolId);
        }
    }

    /**
     * A new feed session: every seq held is of the old one, so nothing is remembered, and each covered symbol the
     * shard's book has from the new session goes out as a snapshot.
     */
    void newEpoch() {
        seqsHeld.clear();
        final LastQuoteBook book = shard.book();
        for (int symbolId = 0; symbolId < universe.size(); symbolId++) {
            if (covers(symbolId) && book.has(symbolId)) {
                subscriber.appendSnapshot(symbolId);
            }
        }
    }

    /** Output stopped: the subscriber follows nothing from now on (the shard took it out of its index already). */
    void clear() {
        symbols.clear();
        firehose = false;
        seqsHeld.clear();
    }

    /** Whether quotes of {@code symbolId} reach the subscriber, by name or on the firehose. */
    boolean covers(final int symbolId) {
        return firehose || symbols.contains(symbolId);
    }

    /** How many symbols the subscriber follows. */
    int coveredCount() {
        return firehose ? universe.size() : symbols.size();
    }

    boolean isFirehose() {
        return firehose;
    }

    /** Symbols subscribed by name. */
    int symbolCount() {
        return symbols.size();
    }

    void forEachSymbol(final IntConsumer action) {
        final IntHashSet.IntIterator ids = symbols.iterator();
        while (ids.hasNext()) {
            action.accept(ids.nextValue());
        }
    }
}
