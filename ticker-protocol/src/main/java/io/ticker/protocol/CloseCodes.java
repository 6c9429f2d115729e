package io.ticker.protocol;

/** WebSocket close codes the server sends, with the meaning the contract gives each. */
public final class CloseCodes {
    /** Normal closure. */
    public static final int NORMAL = 1000;
    /** The server is shutting down; sent to every client on a graceful stop. */
    public static final int GOING_AWAY = 1001;
    /** A frame the protocol does not allow. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A data type the subprotocol does not accept (binary frames on {@code ticker.v1.json}). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** A text message that is not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    /** Persistent abuse after {@code RATE_LIMITED}, or no sign of life within the liveness timeout. */
    public static final int POLICY_VIOLATION = 1008;
    /** An inbound message larger than the configured maximum. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Never sent: stands for a close frame that carried no code (RFC 6455 7.4.1), answered with none. */
    public static final int NO_STATUS = 1005;
    /** The server failed in a way that is not the client's fault. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server cannot serve this client now; it may reconnect later. */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
