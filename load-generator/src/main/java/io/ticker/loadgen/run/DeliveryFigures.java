package io.ticker.loadgen.run;

import io.ticker.loadgen.connect.Endpoint;
import io.ticker.loadgen.measure.ClientLedger;
import io.ticker.loadgen.measure.DeliveryObserver;
import io.ticker.loadgen.report.RunSummary;
import io.ticker.loadgen.settings.RunSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The {@code delivery} and {@code subscriberGroups} sections of a summary: how many updates each subscriber should
 * have had in the window (from the observer's count per symbol, or else the server's published rate), how many it
 * received or was told were conflated, and the spread of the fraction over subscribers.
 */
final class DeliveryFigures {
    private final RunSettings settings;
    private final List<Endpoint> endpoints;

    DeliveryFigures(final RunSettings settings, final List<Endpoint> endpoints) {
        this.settings = settings;
        this.endpoints = endpoints;
    }

    Map<String, Object> delivery(final List<ClientLedger> subscribers, final DeliveryObserver observer,
        final long windowStartMicros, final double windowSeconds, final Map<String, Object> healthBefore) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final List<Double> fractions = new ArrayList<>();
        long expected = 0;
        long received = 0;
        long conflated = 0;
        long lost = 0;
        long surplus = 0;
        long subscribersWithLoss = 0;
        String method;
        if (settings.observer() && observer.covers(windowStartMicros)) {
            method = "observer";
            for (final ClientLedger subscriber : subscribers) {
                if (subscriber.isObserver()) {
                    continue;
                }
                long mine = 0;
                long mineLost = 0;
                final int[] ids = subscriber.symbolIds();
                final int count = ids == null ? observer.symbolIdLimit() : ids.length;
                for (int i = 0; i < count; i++) {
                    final int id = ids == null ? i : ids[i];
                    final long made = observer.updates(id);
                    final long shortfall = made - subscriber.accountedInWindow(id);
                    mine += made;
                    if (shortfall > 0) {
                        mineLost += shortfall;
                    } else {
                        surplus -= shortfall;
                    }
                }
                lost += mineLost;
                subscribersWithLoss += mineLost > 0 ? 1 : 0;
                expected += mine;
                received += subscriber.receivedInWindow();
                conflated += subscriber.conflatedInWindow();
                if (mine > 0) {
                    fractions.add((subscriber.receivedInWindow() + subscriber.conflatedInWindow()) / (double) mine);
                }
            }
            out.put("explanation", "An extra firehose connection (the observer, not counted as a subscriber) "
                + "counted every update per symbol whose ts lies in the window (a quote with conflated:N counts "
                + "N+1; at the window's edges only the share of the N made inside it, taking them as spread evenly "
                + "since the symbol's previous quote). Expected for a subscriber = the sum of those counts over its "
                + "symbols. Delivered fraction = "
                + "(quotes received + quotes reported conflated) / expected; received fraction = received / "
                + "expected. Windows are decided by ts, so late quotes count; a subscriber that was down for part "
                + "of the window misses updates (unless it resumed: see resume). Lost = the sum over subscribers "
                + "and their symbols of what the observer counted for the symbol minus what the subscriber accounts "
                + "for (received + conflated), where positive: per symbol, so a surplus on one symbol cannot hide a "
                + "loss on another; surplus = the same where negative (0 unless conflated counts are off). A quote "
                + "whose seq does not exceed its symbol's last one on the connection (a duplicate) is a seq "
                + "violation and not counted as received."
                + (endpoints.size() > 1 ? " With several URLs the observer watches " + endpoints.get(
                    Math.floorMod(-1, endpoints.size())) + " only, which is right when every server carries the "
                    + "same feed (same seq on every server, as the contract says); servers with independent feeds "
                    + "make the expectation meaningless: run with --no-observer then." : ""));
        } else {
            final Object rate = rateFromHealth(healthBefore);
            if (settings.firehose() && rate instanceof Number published && windowSeconds > 0) {
                method = "published-rate";
                final long perSubscriber = Math.round(published.doubleValue() * windowSeconds);
                for (final ClientLedger subscriber : subscribers) {
                    if (subscriber.isObserver()) {
                        continue;
                    }
                    expected += perSubscriber;
                    received += subscriber.receivedInWindow();
                    conflated += subscriber.conflatedInWindow();
                    if (perSubscriber > 0) {
                        fractions.add((subscriber.receivedInWindow() + subscriber.conflatedInWindow())
                            / (double) perSubscriber);
                    }
                }
                out.put("explanation", "Expected per firehose subscriber = the server's published ratePerSecond "
                    + "(/health) x window seconds; an estimate, since a feed does not hold its rate exactly.");
            } else {
                method = "unknown";
                for (final ClientLedger subscriber : subscribers) {
                    if (!subscriber.isObserver()) {
                        received += subscriber.receivedInWindow();
                        conflated += subscriber.conflatedInWindow();
                    }
                }
                out.put("explanation", settings.observer()
                    ? "The observer connection was not subscribed for the whole window, so expected deliveries are "
                        + "unknown."
                    : "No observer (--no-observer) and no usable published rate, so expected deliveries are "
                        + "unknown.");
            }
        }
        if ("observer".equals(method)) {
            out.put("observerReceived", observer.received());
            out.put("observerConflated", observer.conflated());
            out.put("observerUpdates", observer.totalUpdates());
            final Object rate = rateFromHealth(healthBefore);
            if (rate instanceof Number published && windowSeconds > 0) {
                // a cross-check that needs no trust in conflated counts: the feed's own rate over the window
                final double implied = published.doubleValue() * windowSeconds;
                out.put("publishedRateUpdates", Math.round(implied));
                final double ratio = observer.totalUpdates() / implied;
                out.put("observerToPublishedRatio", ratio);
                if (Math.abs(ratio - 1) > 0.05) {
                    out.put("warning", String.format(Locale.ROOT, "the observer counted %d updates in the window "
                        + "(%d received + %d reported conflated) but the server's published rate implies %.0f; "
                        + "either the feed did not hold its rate or the server's conflated counts are off, so treat "
                        + "the delivered fraction with care", observer.totalUpdates(), observer.received(),
                        observer.conflated(), implied));
                }
            }
        }
        out.put("method", method);
        out.put("expected", "unknown".equals(method) ? null : expected);
        out.put("received", received);
        out.put("conflated", conflated);
        out.put("deliveredFraction", expected > 0 ? (received + conflated) / (double) expected : null);
        final boolean perSymbol = "observer".equals(method);
        out.put("lost", perSymbol ? lost : null);
        out.put("lostFraction", perSymbol && expected > 0 ? lost / (double) expected : null);
        out.put("surplus", perSymbol ? surplus : null);
        out.put("subscribersWithLoss", perSymbol ? subscribersWithLoss : null);
        out.put("receivedFraction", expected > 0 ? received / (double) expected : null);
        if (!fractions.isEmpty()) {
            final double[] sorted = fractions.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            final Map<String, Object> per = new LinkedHashMap<>();
            per.put("subscribers", sorted.length);
            per.put("min", sorted[0]);
            per.put("p1", sorted[(int) Math.floor(0.01 * (sorted.length - 1))]);
            per.put("median", sorted[(sorted.length - 1) / 2]);
            per.put("max", sorted[sorted.length - 1]);
            per.put("below99Percent", Arrays.stream(sorted).filter(f -> f < 0.99).count());
            out.put("perSubscriberDeliveredFraction", per);
        }
        return out;
    }

    /** Delivery, seq order and latency of one group of subscribers ({@code --slow-fraction}). */
    Map<String, Object> group(final List<ClientLedger> members, final DeliveryObserver observer,
        final long windowStartMicros, final double windowSeconds, final Map<String, Object> healthBefore,
        final Histogram latency) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("subscribers", members.size());
        long violations = 0;
        long conflatedMax = 0;
        for (final ClientLedger member : members) {
            violations += member.seqViolations();
            conflatedMax = Math.max(conflatedMax, member.conflatedInWindow());
        }
        final Map<String, Object> delivery = delivery(members, observer, windowStartMicros, windowSeconds,
            healthBefore);
        delivery.remove("explanation");
        final Object expected = delivery.get("expected");
        final long received = ((Number) delivery.get("received")).longValue();
        out.put("notReceived", expected instanceof Number e ? e.longValue() - received : null);
        out.put("conflatedMaxPerSubscriber", conflatedMax);
        out.put("seqViolations", violations);
        out.put("delivery", delivery);
        out.put("latencyMicros", RunSummary.distribution(latency));
        return out;
    }

    private static Object rateFromHealth(final Map<String, Object> healthBefore) {
        double sum = 0;
        final Set<String> seen = new LinkedHashSet<>();
        for (final Map.Entry<String, Object> entry : healthBefore.entrySet()) {
            if (entry.getValue() instanceof Map<?, ?> health && health.get("ratePerSecond") instanceof Number n
                && seen.add(entry.getKey())) {
                // several servers on one feed publish the same updates: their rate is one feed's, not a sum
                sum = Math.max(sum, n.doubleValue());
            }
        }
        return sum > 0 ? sum : null;
    }
}
