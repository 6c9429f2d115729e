package io.ticker.server.web;

import io.ticker.protocol.ErrorCode;
import io.ticker.server.ingest.FeedStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics}: Prometheus text exposition format, version 0.0.4. Built per scrape; the cold path. The
 * server's own families are read from the counters the ring and IO threads own; the standard {@code jvm_*} and
 * {@code process_*} families come from the official Prometheus instrumentation, so dashboards and alerts written for
 * any JVM work here unchanged.
 */
public final class MetricsHandler implements HttpHandler {
    private final ServerStatus status;
    // a registry of its own, not the default one: several servers in one JVM (tests) each expose theirs
    private final PrometheusRegistry jvmAndProcess = new PrometheusRegistry();
    private final PrometheusTextFormatWriter textFormat = new PrometheusTextFormatWriter(false);

    /** Exposes {@code status}, and the JVM's and the process's standard metrics. */
    public MetricsHandler(final ServerStatus status) {
        this.status = status;
        JvmMetrics.builder().register(jvmAndProcess);
    }

    @Override
    public void handleRequest(final HttpServerExchange exchange) {
        final StringBuilder out = new StringBuilder(4096);
        gauge(out, "ticker_connections", "Open WebSocket connections.", status.connections());
        counter(out, "ticker_connections_opened_total", "WebSocket connections accepted.",
            status.connectionsOpened());
        counter(out, "ticker_connections_refused_total", "WebSocket upgrades refused by the connection caps or the "
            + "failed-token throttle.", status.connectionsRefused());
        counter(out, "ticker_auth_failures_total", "WebSocket upgrades refused for a missing or invalid token.",
            status.authFailures());
        counter(out, "ticker_stalled_closed_total", "Subscribers closed for not reading within the stall timeout.",
            status.stalledClosed());
        counter(out, "ticker_queue_limit_closed_total", "Subscribers closed with 1008 for holding more queued output "
            + "than --max-queued-bytes, or the most while over --max-queued-total.", status.queueLimitClosed());
        gauge(out, "ticker_queued_bytes", "Output held for clients that have not taken their last frame.",
            status.queuedBytes());
        gauge(out, "ticker_subscriptions", "Symbol subscriptions across all connections (firehose not counted).",
            status.subscriptions());
        gauge(out, "ticker_firehose_subscribers", "Connections subscribed to every symbol.",
            status.firehoseSubscribers());
        gauge(out, "ticker_symbols", "Symbols in the universe.", status.symbols());
        gauge(out, "ticker_feed_rate_per_second", "Feed rate, updates per second: the embedded feed's configured "
            + "rate (the mean over a period when it bursts), otherwise measured over the last second.",
            status.ratePerSecond());
        gauge(out, "ticker_last_seq", "Seq of the newest update fanned out.", status.lastSeq());
        counter(out, "ticker_quotes_published_total", "Updates sequenced by the ring and fanned out.",
            status.quotesPublished());
        counter(out, "ticker_ring_batches_total", "Ring batches handed to the fan-out.", status.batchesPublished());
        counter(out, "ticker_quotes_delivered_total", "Quotes queued to subscribers (one per subscriber).",
            status.quotesDelivered());
        counter(out, "ticker_quotes_replayed_total", "Quotes replayed from the history to subscribers that resumed "
            + "with since; part of the delivered.", status.quotesReplayed());
        counter(out, "ticker_quotes_conflated_total", "Quotes replaced by a newer one before a slow subscriber "
            + "could take them.", status.quotesConflated());
        counter(out, "ticker_frames_sent_total", "WebSocket data frames sent.", status.framesSent());
        counter(out, "ticker_bytes_sent_total", "Payload bytes of the data frames sent.", status.bytesSent());
        gauge(out, "ticker_ring_size", "Slots in the sequencing ring.", status.ringSize());
        gauge(out, "ticker_ring_remaining_capacity", "Free slots in the sequencing ring.",
            status.ringRemainingCapacity());
        counter(out, "ticker_ring_waits_for_shards_total", "Times the ring thread waited for IO threads to free a "
            + "batch.", status.ringWaitsForShards());
        histogram(out, "ticker_feed_to_ring_latency_seconds", "Feed-to-ring hop: the feed's ts to the ring "
            + "handler taking the update, wall clock, per update.", status.feedToRingLatency());
        histogram(out, "ticker_ring_to_socket_latency_seconds", "Ring-to-socket hop: the oldest update of a frame "
            + "entering the ring to the frame's write completing, per frame.", status.ringToSocketLatency());
        feedMetrics(out, status.feedStatus());
        out.append("# HELP ticker_errors_total Error events sent, by code.\n# TYPE ticker_errors_total counter\n");
        for (final ErrorCode code : ErrorCode.values()) {
            out.append("ticker_errors_total{code=\"").append(code.name()).append("\"} ")
                .append(status.errors(code)).append('\n');
        }
        gauge(out, "ticker_draining", "1 while a graceful stop is under way.", status.draining() ? 1 : 0);
        gauge(out, "ticker_ready", "1 while /health/ready answers 200: a live feed, not draining.",
            status.notReadyReason() == null ? 1 : 0);
        gauge(out, "ticker_feed_epoch", "Epoch of the feed session fanned out (0 before a network feed is heard).",
            status.epoch());
        counter(out, "ticker_feed_sessions_total", "Network feed sessions fanned out: the first, then one per "
            + "restart of the feed, each resetting every subscriber.", status.feedSessions());
        gauge(out, "ticker_uptime_seconds", "Seconds since start.", status.uptimeSeconds());
        out.append(jvmAndProcessMetrics());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseSender().send(out.toString());
    }

    private String jvmAndProcessMetrics() {
        final ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
        try {
            textFormat.write(text, jvmAndProcess.scrape());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static void feedMetrics(final StringBuilder out, final FeedStatus feed) {
        counter(out, "ticker_feed_messages_total", "Messages received from the network feed.", feed.feedMessages());
        counter(out, "ticker_feed_gaps_total", "Gaps in the feed stream's seq.", feed.feedGaps());
        counter(out, "ticker_feed_messages_missed_total", "Seqs skipped over by gaps.", feed.feedMessagesMissed());
        counter(out, "ticker_feed_gaps_healed_total", "Gaps healed by a full snapshot received after them.",
            feed.feedGapsHealed());
        counter(out, "ticker_feed_snapshot_quotes_applied_total", "Snapshot quotes newer than this server's.",
            feed.feedSnapshotQuotesApplied());
        counter(out, "ticker_feed_messages_refused_total", "Feed messages refused (identity unverified or "
            + "different).", feed.feedMessagesRefused());
        gauge(out, "ticker_feed_universe_mismatch", "1 while the feed's symbol universe differs from this "
            + "server's.", feed.feedUniverseMismatch());
        gauge(out, "ticker_feed_last_seq", "Newest seq the feed announced or this server received.",
            feed.feedLastSeq());
        // a summary without quantiles: the feed thread keeps only a sum, a count and a max, which is what rate()
        // of the mean needs
        out.append("# HELP ticker_feed_latency_seconds Feed-to-server latency of received quotes, seconds.\n")
            .append("# TYPE ticker_feed_latency_seconds summary\n")
            .append("ticker_feed_latency_seconds_sum ");
        appendValue(out, feed.feedLatencyMicrosSum() / 1e6);
        out.append("\nticker_feed_latency_seconds_count ").append(feed.feedLatencyCount()).append('\n');
        gauge(out, "ticker_feed_latency_seconds_max", "Largest feed-to-server latency seen, seconds.",
            feed.feedLatencyMicrosMax() / 1e6);
    }

    /**
     * A Prometheus histogram of one hop in seconds, counts since start in the buckets of
     * {@link LatencySummary#BUCKET_BOUNDS_MICROS} (mergeable across servers, {@code histogram_quantile} reads
     * percentiles from it); then a {@code _max} gauge over the last minute, NaN when the minute holds no sample.
     */
    static void histogram(
        final StringBuilder out, final String name, final String help, final LatencySummary.Snapshot latency) {
        out.append("# HELP ").append(name).append(' ').append(help).append(" Counts since start.\n");
        out.append("# TYPE ").append(name).append(" histogram\n");
        for (int i = 0; i < LatencySummary.BUCKET_BOUNDS_MICROS.length; i++) {
            out.append(name).append("_bucket{le=\"")
                .append(java.math.BigDecimal.valueOf(LatencySummary.BUCKET_BOUNDS_MICROS[i], 6).stripTrailingZeros()
                    .toPlainString())
                .append("\"} ").append(latency.buckets()[i]).append('\n');
        }
        out.append(name).append("_bucket{le=\"+Inf\"} ").append(latency.count()).append('\n');
        out.append(name).append("_sum ");
        appendValue(out, latency.sum() / 1e6);
        out.append('\n');
        out.append(name).append("_count ").append(latency.count()).append('\n');
        gauge(out, name + "_max", "Largest value of " + name + " over the last minute, seconds.",
            latency.max() / 1e6);
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final double value) {
        metric(out, name, help, "gauge", value);
    }

    private static void counter(final StringBuilder out, final String name, final String help, final long value) {
        metric(out, name, help, "counter", value);
    }

    private static void metric(
        final StringBuilder out, final String name, final String help, final String type, final double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        out.append(name).append(' ');
        appendValue(out, value);
        out.append('\n');
    }

    private static void appendValue(final StringBuilder out, final double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
    }
}
