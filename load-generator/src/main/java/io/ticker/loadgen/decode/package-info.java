/**
 * From Netty buffers to the protocol's frame scanners, and symbols to dense ids straight from frame bytes.
 */
package io.ticker.loadgen.decode;
