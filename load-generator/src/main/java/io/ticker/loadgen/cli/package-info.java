/**
 * The command line: {@code run}, {@code merge} and {@code compare} as picocli commands. Flags become settings here;
 * a run is handed to {@code run}, results folders are read and written through {@code report}.
 */
package io.ticker.loadgen.cli;
