/**
 * What a run was asked to do: the validated flags as records ({@code RunSettings}, ramp-up, symbol skew, slow
 * clients), with nothing behind them, so every other package may take them.
 */
package io.ticker.loadgen.settings;
