package io.ticker.server.fanout;

import io.ticker.protocol.BinaryRecords;
import java.util.Arrays;

/**
 * A shard's firehose subscribers for one drain, split in two: those sent the shard's shared frame of the drain's
 * quotes ({@link FirehoseFrame}, one per wire format, built once), and those that build their own because something
 * of theirs is pending or in flight, or their sink cannot share. With 50 firehose connections that is one copy of
 * each quote per drain instead of 50. Owning IO thread only; nothing allocates once the lists have grown.
 */
final class SharedFirehose {
    private static final int INITIAL_SUBSCRIBERS = 8;

    private final ShardCounters counters;
    private Subscriber[] sharing = new Subscriber[INITIAL_SUBSCRIBERS];
    private int sharingCount;
    private int sharingBinaryCount;
    private Subscriber[] copying = new Subscriber[INITIAL_SUBSCRIBERS];
    private int copyingCount;
    /** Created with the first sharing subscriber of the format: a direct buffer of a full frame each. */
    private FirehoseFrame sharedJson;
    private FirehoseFrame sharedBinary;

    SharedFirehose(final ShardCounters counters) {
        this.counters = counters;
    }

    /**
     * Drain start: which firehose subscribers get the shared frame this time. Sharing needs the frame to go out at
     * the end of this drain; with a flush delay ({@code sharingAllowed} false), a command between drains could put an
     * ack before quotes older than it, so then everyone builds their own.
     */
    void split(final SubscriberIndex index, final boolean sharingAllowed) {
        sharingCount = 0;
        sharingBinaryCount = 0;
        copyingCount = 0;
        final Subscriber[] firehose = index.firehose();
        for (int s = 0, n = index.firehoseCount(); s < n; s++) {
            final Subscriber subscriber = firehose[s];
            if (sharingAllowed && subscriber.canShareFrames()) {
                addSharing(subscriber);
            } else {
                addCopying(subscriber);
            }
        }
    }

    /** The firehose subscribers that build their own frames this drain, the first {@link #copyingCount} of them. */
    Subscriber[] copying() {
        return copying;
    }

    int copyingCount() {
        return copyingCount;
    }

    /**
     * Sends the shared frames first if one more quote ({@code jsonLength} bytes as JSON) would take them past the
     * frame cap. Before the quote goes to the {@link #copying} subscribers: one that cannot share any more joins them.
     */
    void makeRoom(final int jsonLength) {
        if (sharingCount == 0) {
            return;
        }
        if ((sharingJson() && !sharedJson.fits(jsonLength))
            || (sharingBinaryCount > 0 && !sharedBinary.fits(BinaryRecords.QUOTE_LENGTH))) {
            send();
        }
    }

    /** Appends one quote, in both encodings, to the shared frames that have subscribers; after {@link #makeRoom}. */
    void append(
        final byte[] json,
        final int offset,
        final int length,
        final byte[] records,
        final int recordOffset,
        final long publishNanos) {
        if (sharingJson()) {
            sharedJson.append(json, offset, length, publishNanos);
        }
        if (sharingBinaryCount > 0) {
            sharedBinary.append(records, recordOffset, BinaryRecords.QUOTE_LENGTH, publishNanos);
        }
    }

    /**
     * Sends the shared frames to their subscribers. One whose socket could not take a whole frame builds its own
     * from now on (its next quotes conflate behind the rest the sink kept), like any subscriber with a frame in flight.
     */
    void send() {
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
            counters.delivered(frame.quotes());
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
}
