package io.ticker.protocol;

/**
 * Reads one server frame in place and reports each event or record it holds to a {@link FrameListener}, in frame
 * order: {@link JsonFrameScanner} for text frames (a JSON array of events, on either subprotocol),
 * {@link BinaryFrameScanner} for {@code ticker.v1.binary} frames. Implementations keep the state of the frame being
 * scanned, so one instance serves one thread.
 */
public interface FrameScanner {
    /**
     * Scans {@code length} bytes of {@code bytes} from {@code offset}; offsets given to the listener index
     * {@code bytes}, and are valid only during the call.
     *
     * @return the number of events or records reported
     */
    int scan(byte[] bytes, int offset, int length, FrameListener listener);
}
