/**
 * One run from start to end: the composition root ({@code LoadRun}), the phases on the control thread (ramp-up,
 * warm-up, window, drain), the once-a-second progress, the choice of symbols, and the figures made from the ledgers.
 */
package io.ticker.loadgen.run;
