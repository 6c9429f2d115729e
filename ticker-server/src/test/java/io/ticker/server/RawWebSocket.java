package io.ticker.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A WebSocket client written against RFC 6455 directly on a blocking socket: hand-built masked frames out, raw
 * frames in. Tests use it where they need control a library would hide (the exact handshake bytes, a client that
 * never reads, close codes) and as an independent check of the server's framing.
 */
final class RawWebSocket implements AutoCloseable {
    static final int OP_TEXT = 0x1;
    static final int OP_BINARY = 0x2;
    static final int OP_CLOSE = 0x8;
    static final int OP_PING = 0x9;
    static final int OP_PONG = 0xA;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Random maskRandom = new Random(1);
    private OutputStream outOverride;
    final int status;
    final Map<String, String> headers;

    private RawWebSocket(final Socket socket, final int status, final Map<String, String> headers)
        throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.status = status;
        this.headers = headers;
    }

    /** Opens a socket and sends {@code request} as is; returns with the status line and headers read. */
    static RawWebSocket handshake(final int port, final String request, final int receiveBufferBytes)
        throws IOException {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return handshake(socket, request);
    }

    /** Sends {@code request} on a connected socket (a TLS one, say); returns with the status line and headers read. */
    static RawWebSocket handshake(final Socket socket, final String request) throws IOException {
        final int port = socket.getPort();
        socket.setSoTimeout(10_000);
        // Like a browser, name the port in Host: same-host Origin checks compare the two.
        final String withPort = request.replace("Host: 127.0.0.1\r\n", "Host: 127.0.0.1:" + port + "\r\n");
        socket.getOutputStream().write(withPort.getBytes(StandardCharsets.ISO_8859_1));
        final InputStream input = socket.getInputStream();
        final String statusLine = readLine(input);
        final Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = readLine(input)).isEmpty()) {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        final int status = Integer.parseInt(statusLine.split(" ")[1]);
        return new RawWebSocket(socket, status, headers);
    }

    /** A standard upgrade to {@code /ws} with the RFC's sample key. */
    static RawWebSocket connect(final int port) throws IOException {
        return connect(port, 0);
    }

    static RawWebSocket connect(final int port, final int receiveBufferBytes) throws IOException {
        final RawWebSocket ws = handshake(port, upgradeRequest("/ws", "13", "dGhlIHNhbXBsZSBub25jZQ=="),
            receiveBufferBytes);
        if (ws.status != 101) {
            ws.close();
            throw new IOException("upgrade refused: " + ws.status);
        }
        return ws;
    }

    static String upgradeRequest(final String path, final String version, final String key) {
        return upgradeRequest(path, version, key, "");
    }

    /** An upgrade with {@code extraHeaders} (each ending in CRLF) before the blank line. */
    static String upgradeRequest(final String path, final String version, final String key, final String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Version: " + version + "\r\n" + (key == null ? "" : "Sec-WebSocket-Key: " + key + "\r\n")
            + extraHeaders + "\r\n";
    }

    void sendText(final String text) throws IOException {
        sendFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Sends one frame, masked as a client must. */
    void sendFrame(final int opcode, final byte[] payload, final boolean fin) throws IOException {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        final byte[] mask = new byte[4];
        maskRandom.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        final OutputStream target = outOverride != null ? outOverride : out;
        target.write(frame.toByteArray());
        target.flush();
    }

    /** Sends one masked frame a few bytes per write, flushing each, as a slow or hostile client would. */
    void sendTrickled(final int opcode, final byte[] payload, final int bytesPerWrite) throws IOException {
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final OutputStream real = out;
        try {
            outOverride = captured;
            sendFrame(opcode, payload, true);
        } finally {
            outOverride = null;
        }
        final byte[] frame = captured.toByteArray();
        for (int i = 0; i < frame.length; i += bytesPerWrite) {
            real.write(frame, i, Math.min(bytesPerWrite, frame.length - i));
            real.flush();
        }
    }

    /** Reads the next frame; null when the server closed the TCP connection. */
    Frame readFrame() throws IOException {
        final int first = in.read();
        if (first < 0) {
            return null;
        }
        final int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((second & 0x80) != 0) {
            throw new IOException("server frames must not be masked");
        }
        final byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, (first & 0x80) != 0, payload, (first & 0x40) != 0);
    }

    /** Reads frames until a text frame, answering nothing; returns its text. */
    String readText() throws IOException {
        while (true) {
            final Frame frame = readFrame();
            if (frame == null) {
                throw new EOFException("connection closed");
            }
            if (frame.opcode == OP_TEXT) {
                return frame.text();
            }
            if (frame.opcode == OP_CLOSE) {
                throw new IOException("closed by server: " + frame.closeCode());
            }
        }
    }

    /** Reads until a close frame; returns its code, or -1 if the TCP connection ended first. */
    int readUntilClose() throws IOException {
        while (true) {
            final Frame frame;
            try {
                frame = readFrame();
            } catch (final EOFException e) {
                return -1;
            }
            if (frame == null) {
                return -1;
            }
            if (frame.opcode == OP_CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /** Writes bytes as they are, framing or not. */
    void sendRaw(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Closes with a TCP reset (SO_LINGER 0), as a crashed or unplugged client's kernel would. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    void setReadTimeoutMillis(final int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readLine(final InputStream input) throws IOException {
        final StringBuilder line = new StringBuilder();
        int c;
        while ((c = input.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c == -1 && line.length() == 0) {
            throw new EOFException("connection closed during the handshake");
        }
        return line.toString();
    }

    /** One frame as received; {@code rsv1} marks a compressed message (permessage-deflate). */
    record Frame(int opcode, boolean fin, byte[] payload, boolean rsv1) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }
}
