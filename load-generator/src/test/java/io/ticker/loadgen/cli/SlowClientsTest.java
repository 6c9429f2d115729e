package io.ticker.loadgen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ticker.loadgen.settings.SlowClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SlowClientsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldMakeEveryTenthSubscriberSlowForATenth() {
        final SlowClients tenth = new SlowClients(0.1, 0, Duration.ofSeconds(5), Duration.ofSeconds(1));
        int slow = 0;
        for (int i = 0; i < 2_000; i++) {
            if (tenth.isSlow(i)) {
                slow++;
                assertEquals(9, i % 10, "slow subscriber " + i);
            }
        }
        assertEquals(200, slow);
        assertFalse(tenth.isSlow(-1), "the observer is never slow");
        assertFalse(SlowClients.NONE.isSlow(9));
        assertFalse(SlowClients.NONE.any());
    }

    @Test
    void shouldSpreadAnUnevenFractionExactly() {
        final SlowClients third = new SlowClients(1 / 3.0, 1024, null, null);
        int slow = 0;
        for (int i = 0; i < 3_000; i++) {
            slow += third.isSlow(i) ? 1 : 0;
        }
        assertEquals(1_000, slow);
        final SlowClients all = new SlowClients(1, 1024, null, null);
        assertTrue(all.isSlow(0) && all.isSlow(1) && all.isSlow(2));
    }

    @Test
    void shouldReadByteRatesWithSuffixes() {
        assertEquals(65_536, SlowClients.parseBytesPerSecond("65536"));
        assertEquals(65_536, SlowClients.parseBytesPerSecond("64k"));
        assertEquals(1_048_576, SlowClients.parseBytesPerSecond("1M/s"));
        assertEquals(0, SlowClients.parseBytesPerSecond("0"));
        assertThrows(IllegalArgumentException.class, () -> SlowClients.parseBytesPerSecond("fast"));
        assertThrows(IllegalArgumentException.class, () -> SlowClients.parseBytesPerSecond("-5"));
    }

    @Test
    void shouldReadInChunksThatAddUpToTheRate() {
        final SlowClients rate = new SlowClients(0.1, 100 * 1024, null, null);
        assertEquals(2_048, rate.readChunkBytes());
        assertEquals(20_000_000L, rate.readPeriodNanos());
        final SlowClients trickle = new SlowClients(0.1, 100, null, null);
        assertEquals(SlowClients.READ_BYTES_MIN, trickle.readChunkBytes(), "no read smaller than the minimum");
        assertEquals(2_560_000_000L, trickle.readPeriodNanos());
    }

    @Test
    void shouldExplainEachSlowClientFlagInHelp() {
        assertEquals(0, execute("run", "--help"));
        for (final String flag : new String[] {"--slow-fraction", "--slow-read-rate", "--pause-every",
            "--pause-for"}) {
            assertTrue(out.toString().contains(flag), "help lacks " + flag + ":\n" + out);
        }
    }

    @Test
    void shouldExitTwoNamingTheBadSlowClientFlag() {
        assertUsageError("--slow-fraction", "--slow-fraction", "1.5", "--pause-every", "5s", "--pause-for", "1s");
        assertUsageError("--slow-fraction", "--slow-fraction", "0.1");
        assertUsageError("--slow-read-rate", "--slow-read-rate", "64k");
        assertUsageError("--slow-read-rate", "--slow-fraction", "0.1", "--slow-read-rate", "quick");
        assertUsageError("--pause-every", "--pause-every", "5s", "--pause-for", "1s");
        assertUsageError("--pause-for", "--slow-fraction", "0.1", "--pause-for", "1s");
        assertUsageError("--pause-for", "--slow-fraction", "0.1", "--pause-every", "1s", "--pause-for", "1s");
        assertUsageError("--pause-every", "--slow-fraction", "0.1", "--pause-every", "soon", "--pause-for", "1s");
    }

    private void assertUsageError(final String flag, final String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        final String[] withRun = new String[args.length + 1];
        withRun[0] = "run";
        System.arraycopy(args, 0, withRun, 1, args.length);
        assertEquals(2, execute(withRun), String.join(" ", args) + "\n" + err);
        assertTrue(err.toString().contains(flag), "message should name " + flag + ": " + err);
    }

    private int execute(final String... args) {
        final CommandLine commandLine = LoadGeneratorMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
