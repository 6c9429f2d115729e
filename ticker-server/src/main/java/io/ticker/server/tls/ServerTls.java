package io.ticker.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The server's TLS identity and policy: a certificate and key from PEM files, from a PKCS#12 keystore, or a
 * self-signed one made at start for demos. Only TLS 1.3 and 1.2, and of 1.2 only forward-secret AEAD suites.
 */
public final class ServerTls {
    /** Protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    static {
        // TLS 1.2 lets a client ask for a new handshake on an open connection as often as it likes, each one a few
        // milliseconds of our CPU for a few bytes of its own; nothing this server does needs one. The JDK reads the
        // property when it first makes a server handshake, which is after this class has built its context.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private static final Pattern PEM_BLOCK =
        Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private final SSLContext context;
    private final String description;

    private ServerTls(final SSLContext context, final String description) {
        this.context = context;
        this.description = description;
    }

    /** The SSL context for the listener. */
    public SSLContext context() {
        return context;
    }

    /** Where the identity came from, for the startup line. */
    public String description() {
        return description;
    }

    /** The cipher suites to enable: every TLS 1.3 suite, and ECDHE with AES-GCM or ChaCha20 for TLS 1.2. */
    public List<String> cipherSuites() {
        final SSLParameters supported = context.getSupportedSSLParameters();
        final List<String> suites = new ArrayList<>();
        for (final String suite : supported.getCipherSuites()) {
            final boolean tls13 = suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
            final boolean modern12 = suite.startsWith("TLS_ECDHE_")
                && (suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"));
            if (tls13 || modern12) {
                suites.add(suite);
            }
        }
        return suites;
    }

    /**
     * A certificate chain and its private key from PEM files: the chain as one or more {@code CERTIFICATE} blocks,
     * the key as an unencrypted PKCS#8 {@code PRIVATE KEY} block (RSA or EC).
     */
    public static ServerTls fromPem(final Path certificateFile, final Path keyFile)
        throws IOException, GeneralSecurityException {
        final List<Certificate> chain = new ArrayList<>();
        final CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (final byte[] der : pemBlocks(certificateFile, "CERTIFICATE")) {
            chain.add(x509.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block in " + certificateFile);
        }
        final List<byte[]> keys = pemBlocks(keyFile, "PRIVATE KEY");
        if (keys.isEmpty()) {
            throw new GeneralSecurityException("no unencrypted PKCS#8 'PRIVATE KEY' block in " + keyFile
                + " (convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        final PrivateKey key = privateKey(keys.get(0));
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("ticker", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
        return new ServerTls(context(store, NO_PASSWORD), "PEM " + certificateFile);
    }

    /** The first key entry of a PKCS#12 keystore. */
    public static ServerTls fromPkcs12(final Path keystoreFile, final char[] password)
        throws IOException, GeneralSecurityException {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            store.load(in, password);
        }
        return new ServerTls(context(store, password), "PKCS#12 " + keystoreFile);
    }

    /**
     * A self-signed certificate for {@code localhost} and the loopback addresses, made with the JDK's keytool into a
     * temporary keystore: for demos and tests, never production (clients must be told to trust it).
     */
    public static ServerTls selfSigned() throws IOException, GeneralSecurityException {
        final Path dir = Files.createTempDirectory("ticker-tls");
        final Path keystore = dir.resolve("self-signed.p12");
        final char[] password = "ticker-self-signed".toCharArray();
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "ticker",
            "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "30",
            "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
            "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(password))
            .redirectErrorStream(true).start();
        try {
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new GeneralSecurityException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a self-signed certificate", e);
        }
        final ServerTls tls = fromPkcs12(keystore, password);
        Files.deleteIfExists(keystore);
        Files.deleteIfExists(dir);
        return new ServerTls(tls.context, "self-signed for localhost (demo only)");
    }

    private static SSLContext context(final KeyStore store, final char[] password) throws GeneralSecurityException {
        final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        final SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static PrivateKey privateKey(final byte[] pkcs8) throws GeneralSecurityException {
        for (final String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (final InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the private key is not an RSA, EC or Ed25519 PKCS#8 key");
    }

    private static List<byte[]> pemBlocks(final Path file, final String type) throws IOException {
        final String text = Files.readString(file, StandardCharsets.US_ASCII);
        final Matcher matcher = PEM_BLOCK.matcher(text);
        final List<byte[]> blocks = new ArrayList<>();
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(matcher.group(2)));
            }
        }
        return blocks;
    }
}
