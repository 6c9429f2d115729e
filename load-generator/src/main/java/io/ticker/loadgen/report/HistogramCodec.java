package io.ticker.loadgen.report;

import io.ticker.loadgen.measure.LatencyRecorder;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** A histogram as compressed base64 text (HdrHistogram's own encoding), so summary.json can carry it for merges. */
public final class HistogramCodec {
    private HistogramCodec() {
    }

    /** The histogram as base64 of its compressed encoding. */
    public static String encode(final Histogram histogram) {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes {@link #encode}'s text.
     *
     * @throws IllegalArgumentException when the text is not an encoded histogram
     */
    public static Histogram decode(final String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)),
                LatencyRecorder.HIGHEST_TRACKABLE_MICROS);
        } catch (final DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded histogram: " + e.getMessage(), e);
        }
    }
}
