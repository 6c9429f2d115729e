package io.ticker.loadgen.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResumePointTest {
    private static final String SUBSCRIBE = "{\"op\":\"subscribe\",\"symbols\":[\"AAA\",\"BBB\"],\"id\":\"s3\"}";

    private final ResumePoint point = new ResumePoint();

    @Test
    void shouldSubscribePlainlyBeforeTheFirstQuoteOfAKnownEpoch() {
        assertEquals(SUBSCRIBE, point.resumeCommand(SUBSCRIBE), "nothing received yet");
        point.received(40);
        assertEquals(SUBSCRIBE, point.resumeCommand(SUBSCRIBE), "a seq, but no epoch to name it by");
        assertFalse(point.takeAsked());
    }

    @Test
    void shouldAskForWhatFollowsTheHighestSeqNotTheLastOne() {
        point.epoch(1_796_660_208_851_373L);
        point.received(101);
        // conflation sends one symbol's newer quote before another's older one: the frame is complete up to 105
        point.received(105);
        point.received(103);

        assertEquals("{\"op\":\"subscribe\",\"symbols\":[\"AAA\",\"BBB\"],\"id\":\"s3\",\"since\":105,"
            + "\"epoch\":1796660208851373}", point.resumeCommand(SUBSCRIBE));
        assertTrue(point.takeAsked());
        assertFalse(point.takeAsked(), "one answer per ask");
    }

    @Test
    void shouldStartOverWhenTheEpochChangesAndKeepItWhenTheSameIsNamedAgain() {
        point.epoch(7);
        point.received(900);
        point.epoch(7);
        assertEquals(900, point.highestSeq(), "the same session named again by an answer");
        point.epoch(0);
        assertEquals(900, point.highestSeq(), "epoch 0: a server that has not heard its feed says nothing");

        point.epoch(8);
        assertEquals(-1, point.highestSeq());
        assertEquals(SUBSCRIBE, point.resumeCommand(SUBSCRIBE), "no quote of the new session yet");
        point.received(2);
        assertTrue(point.resumeCommand(SUBSCRIBE).endsWith(",\"since\":2,\"epoch\":8}"));
    }

    @Test
    void shouldIgnoreQuotesWithoutSeq() {
        point.epoch(3);
        point.received(-1);
        assertFalse(point.canResume());
    }
}
