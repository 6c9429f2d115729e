/**
 * What the clients received, counted without allocation on the event loops: each client's ledger, seq order, the
 * recorded window, latency recorders, counters, the delivery observer, the wall clock and the generator's own CPU.
 */
package io.ticker.loadgen.measure;
