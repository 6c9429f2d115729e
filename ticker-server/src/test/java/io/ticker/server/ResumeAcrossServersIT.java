package io.ticker.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Resume by seq across two server processes fed by one feed process over Aeron: a client that leaves server A for a
 * second and resumes on server B with A's seq and epoch gets, from B, exactly what an observer on A saw meanwhile,
 * none twice, nothing out of order (seq and epoch are the feed's, the same on both servers).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResumeAcrossServersIT {
    private static final String SYMBOLS = "40";

    @Test
    void shouldResumeOnAnotherServerOfTheSameFeedWithNothingLostOrTwice() throws Exception {
        final FeedProcesses.FanOutChannels channels = FeedProcesses.FanOutChannels.onFreePort();
        final String publish = channels.publish();
        final String subscribe = channels.subscribe();
        try (FeedProcesses processes = new FeedProcesses()) {
            final FeedProcesses.Proc feed = processes.start("feed-simulator", "--publish", publish,
                "--duration", "0", "--rate", "1000", "--symbols", SYMBOLS, "--zipf", "0");
            feed.awaitLine("publishing on", Duration.ofSeconds(30));
            final FeedProcesses.Proc serverA = processes.server("--symbols", SYMBOLS, "--feed", subscribe);
            final FeedProcesses.Proc serverB = processes.server("--symbols", SYMBOLS, "--feed", subscribe);
            for (final FeedProcesses.Proc server : new FeedProcesses.Proc[] {serverA, serverB}) {
                ReadinessIT.awaitHealth(server.port, h -> h.status() == 200, Duration.ofSeconds(30));
            }
            ResumeIT.assertResumeMatchesObserver(serverA.port, serverB.port, serverA.port, "\"*\"", null);
        }
    }
}
