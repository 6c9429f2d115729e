package io.ticker.loadgen.decode;

import io.ticker.protocol.EventType;
import io.ticker.protocol.FrameListener;
import io.ticker.protocol.Recovery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records what a frame scanner reports, one short line per call, for tests to compare. */
final class RecordingListener implements FrameListener {
    final List<String> log = new ArrayList<>();
    final List<String> malformedReasons = new ArrayList<>();

    @Override
    public void onQuote(final byte[] frame, final int symbolOffset, final int symbolLength, final long seq,
        final long tsMicros, final boolean snapshot, final long conflated) {
        log.add("quote " + new String(frame, symbolOffset, symbolLength, StandardCharsets.UTF_8) + " " + seq + " "
            + tsMicros + " " + snapshot + " " + conflated);
    }

    @Override
    public void onQuote(final byte[] frame, final int symbolOffset, final int symbolLength, final long seq,
        final long tsMicros, final boolean snapshot, final boolean replayed, final long conflated) {
        onQuote(frame, symbolOffset, symbolLength, seq, tsMicros, snapshot, conflated);
        if (replayed) {
            log.set(log.size() - 1, log.get(log.size() - 1) + " replayed");
        }
    }

    @Override
    public void onAck(final EventType type, final long epoch) {
        log.add("ack " + type + (epoch < 0 ? "" : " epoch " + epoch));
    }

    @Override
    public void onAck(final EventType type, final long epoch, final Recovery recovery, final String reason) {
        onAck(type, epoch);
        if (recovery != Recovery.NOT_ASKED) {
            log.set(log.size() - 1, log.get(log.size() - 1) + " " + recovery + (reason == null ? "" : " " + reason));
        }
    }

    @Override
    public void onReset(final long epoch) {
        log.add("reset " + epoch);
    }

    @Override
    public void onPong(final long tsMicros) {
        log.add("pong " + tsMicros);
    }

    @Override
    public void onError(final String code) {
        log.add("error " + code);
    }

    @Override
    public void onUnknownEvent() {
        log.add("unknown");
    }

    @Override
    public void onMalformed(final String reason) {
        log.add("malformed");
        malformedReasons.add(reason);
    }
}
