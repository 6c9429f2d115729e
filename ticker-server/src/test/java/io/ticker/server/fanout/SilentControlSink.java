package io.ticker.server.fanout;

import java.nio.ByteBuffer;

/** A test sink that ignores pings, pongs and closes, for tests about data frames only. */
abstract class SilentControlSink implements FrameSink {
    @Override
    public void sendPing() {
    }

    @Override
    public void sendPong(final ByteBuffer payload) {
    }

    @Override
    public void peerClosed(final int code) {
    }

    @Override
    public void sendClose(final int code, final String reason) {
    }

    @Override
    public void sendCloseThenDisconnect(final int code, final String reason) {
    }

    @Override
    public void abort() {
    }
}
