/**
 * Results: summary.json as a tree, the final table, report.html, the results folder, and merging runs.
 */
package io.ticker.loadgen.report;
