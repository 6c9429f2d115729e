package io.ticker.loadgen.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RampDoneTest {
    private static final long TIMEOUT = 10_000_000_000L;

    @Test
    void everyoneUpButNotYetSubscribedIsNotDone() {
        assertFalse(Timeline.rampDone(2_000, 2_000, 0, 1_520, 0, 1_000_000_000L, TIMEOUT));
    }

    @Test
    void everyoneUpAndAcknowledgedIsDone() {
        assertTrue(Timeline.rampDone(2_000, 2_000, 0, 2_000, 0, 0, TIMEOUT));
    }

    @Test
    void failedConnectsAreNotWaitedFor() {
        assertTrue(Timeline.rampDone(19_000, 18_962, 38, 18_962, 0, 0, TIMEOUT));
        assertFalse(Timeline.rampDone(19_000, 18_900, 38, 18_900, 0, 0, TIMEOUT), "62 still connecting");
    }

    @Test
    void connectionsThatSendNoCommandAreNotWaitedFor() {
        assertTrue(Timeline.rampDone(100, 100, 0, 90, 10, 0, TIMEOUT));
        assertFalse(Timeline.rampDone(100, 100, 0, 89, 10, 0, TIMEOUT));
    }

    @Test
    void theConnectTimeoutEndsTheWaitWhateverIsMissing() {
        assertTrue(Timeline.rampDone(2_000, 1_990, 0, 1_500, 0, TIMEOUT, TIMEOUT));
    }
}
