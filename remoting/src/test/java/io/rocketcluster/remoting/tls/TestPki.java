package io.rocketcluster.remoting.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test certificates written as the PEM files the TLS keys name: a CA ({@code ca.pem}) and leaf certificates
 * signed by it ({@code <name>.pem} + unencrypted PKCS#8 {@code <name>.key}), valid for an hour either side of
 * now, with the host names and IP addresses given as subject alternative names. A second, unrelated CA makes
 * "a certificate nobody trusts".
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String name;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestPki(Path dir, String name, KeyPair caKeys, X509Certificate ca) {
        this.dir = dir;
        this.name = name;
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new CA called {@code name}, its certificate written to {@code dir/<name>-ca.pem}. */
    public static TestPki create(Path dir, String name) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPair keys = keyPair();
        X500Name subject = new X500Name("CN=" + name + " test CA");
        X509v3CertificateBuilder b = builder(subject, subject, keys);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new IOException(e);
        }
        X509Certificate ca = sign(b, keys.getPrivate());
        TestPki pki = new TestPki(dir, name, keys, ca);
        writePem(pki.caPath(), "CERTIFICATE", ca.getEncoded());
        return pki;
    }

    public Path caPath() {
        return dir.resolve(name + "-ca.pem");
    }

    /** A certificate and key for {@code leaf}, good for {@code hosts} (names or IP addresses). */
    public Leaf issue(String leaf, String... hosts) throws IOException, GeneralSecurityException {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder b = builder(new X500Name("CN=" + name + " test CA"), new X500Name("CN=" + leaf), keys);
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
            names.add(new GeneralName(h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new IOException(e);
        }
        X509Certificate cert = sign(b, caKeys.getPrivate());
        Leaf out = new Leaf(dir.resolve(leaf + ".pem"), dir.resolve(leaf + ".key"));
        writePem(out.cert(), "CERTIFICATE", cert.getEncoded());
        writePem(out.key(), "PRIVATE KEY", keys.getPrivate().getEncoded());
        return out;
    }

    /** A leaf's PEM files. */
    public record Leaf(Path cert, Path key) {
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofHours(1))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }
}
