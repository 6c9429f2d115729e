package io.ticker.server.admission;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks bearer tokens against a file of allowed tokens (one per line, {@code #} comments). Tokens are kept only as
 * SHA-256 digests and every check compares against all of them in constant time, so neither the stored tokens nor
 * the timing of a check reveal which token, or which prefix, was close. Tokens are never logged.
 */
public final class TokenAuthenticator {
    private final List<byte[]> digests;

    private TokenAuthenticator(final List<byte[]> digests) {
        this.digests = digests;
    }

    /**
     * Reads the tokens of {@code file}.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it holds no token
     */
    public static TokenAuthenticator fromFile(final Path file) throws IOException {
        final List<byte[]> digests = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            final String token = line.strip();
            if (!token.isEmpty() && !token.startsWith("#")) {
                digests.add(sha256(token));
            }
        }
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("no tokens in " + file);
        }
        return new TokenAuthenticator(List.copyOf(digests));
    }

    /** Whether {@code token} (null when the request carried none) is one of the allowed tokens. */
    public boolean accepts(final String token) {
        if (token == null || token.isEmpty() || token.length() > 4096) {
            return false;
        }
        final byte[] candidate = sha256(token);
        boolean match = false;
        for (final byte[] digest : digests) {
            // No early exit: every check costs the same whichever token matches.
            match |= MessageDigest.isEqual(digest, candidate);
        }
        return match;
    }

    /** How many tokens are configured, for the startup line. */
    public int size() {
        return digests.size();
    }

    private static byte[] sha256(final String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
