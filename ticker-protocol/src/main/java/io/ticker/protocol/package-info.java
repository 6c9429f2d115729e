/**
 * The ticker wire contract (version 1) in code: what a browser, the load generator or any third-party client may
 * rely on. See {@code docs/PROTOCOL.md}. This module has no dependencies so that every other module, and any client
 * written in Java, can take it.
 */
package io.ticker.protocol;
