package site.gateway.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away PKI generated in the test with BouncyCastle: CAs, server and client certificates, CRLs. */
public final class TestPki {
    public static final PemCodec CODEC = new PemCodec();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate chain (leaf first). */
    public record Issued(KeyPair keys, List<X509Certificate> chain) {
        public X509Certificate cert() {
            return chain.get(0);
        }

        public String chainPem() throws Exception {
            return CODEC.pem(chain.toArray());
        }
    }

    public static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public static Issued ca(String cn) throws Exception {
        KeyPair keys = ecKeys();
        X500Principal name = new X500Principal("CN=" + cn + ", O=Test WMS");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return new Issued(keys, List.of(convert(b, keys.getPrivate())));
    }

    /** An intermediate CA signed by {@code root}; chain: itself, then the root. */
    public static Issued intermediate(Issued root, String cn) throws Exception {
        KeyPair keys = ecKeys();
        X500Principal name = new X500Principal("CN=" + cn + ", O=Test WMS");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root.cert(), serial(), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1825))), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, List.of(convert(b, root.keys().getPrivate()), root.cert()));
    }

    public static Issued server(Issued ca, String... sans) throws Exception {
        Instant now = Instant.now();
        return leaf(ca, "CN=" + sans[0], now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), KeyPurposeId.id_kp_serverAuth, sans);
    }

    public static Issued expiredServer(Issued ca, String host) throws Exception {
        Instant now = Instant.now();
        return leaf(ca, "CN=" + host, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth, host);
    }

    public static Issued client(Issued ca, String gatewayId, String tenantId) throws Exception {
        Instant now = Instant.now();
        return client(ca, gatewayId, tenantId, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    }

    public static Issued client(Issued ca, String gatewayId, String tenantId, Instant notBefore, Instant notAfter) throws Exception {
        return leaf(ca, "CN=" + gatewayId + ", O=" + tenantId, notBefore, notAfter, KeyPurposeId.id_kp_clientAuth);
    }

    public static Issued leaf(Issued ca, String subject, Instant notBefore, Instant notAfter, KeyPurposeId purpose, String... sans)
            throws Exception {
        return leaf(ca, new X500Principal(subject), ecKeys(), notBefore, notAfter, purpose, sans);
    }

    public static Issued leaf(Issued ca, X500Principal subject, KeyPair keys, Instant notBefore, Instant notAfter,
            KeyPurposeId purpose, String... sans) throws Exception {
        return new Issued(keys, List.of(sign(ca, subject, keys.getPublic(), notBefore, notAfter, purpose, sans), ca.cert()));
    }

    public static X509Certificate sign(Issued ca, X500Principal subject, PublicKey key, Instant notBefore, Instant notAfter,
            KeyPurposeId purpose, String... sans) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(), Date.from(notBefore),
                Date.from(notAfter), subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (sans.length > 0) {
            List<GeneralName> names = new ArrayList<>();
            for (String s : sans) {
                names.add(HostnameMatcher.isIpLiteral(s) ? new GeneralName(GeneralName.iPAddress, s)
                        : new GeneralName(GeneralName.dNSName, s));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        }
        return convert(b, ca.keys().getPrivate());
    }

    public static X509CRL crl(Issued ca, Instant thisUpdate, Instant nextUpdate, BigInteger... revoked) throws Exception {
        return crlSignedBy(ca.cert().getSubjectX500Principal(), ca.keys().getPrivate(), thisUpdate, nextUpdate, revoked);
    }

    public static X509CRL crlSignedBy(X500Principal issuer, PrivateKey key, Instant thisUpdate, Instant nextUpdate,
            BigInteger... revoked) throws Exception {
        X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer, Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (BigInteger serial : revoked) {
            b.addCRLEntry(serial, Date.from(thisUpdate.minusSeconds(60)), CRLReason.keyCompromise);
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CODEC.provider()).build(key);
        return new JcaX509CRLConverter().getCRL(b.build(signer));
    }

    public static byte[] pem(X509CRL crl) throws Exception {
        return CODEC.pem(crl).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes the gateway's files (certificate, encrypted key, passphrase, anchors) into {@code dir}. */
    public static void writeGatewayFiles(Path dir, Issued client, String passphrase, X509Certificate... anchors) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("gateway.crt"), client.chainPem());
        writeOwnerOnly(dir.resolve("gateway.key"), CODEC.encryptPrivateKey(client.keys().getPrivate(), passphrase.toCharArray()));
        writeOwnerOnly(dir.resolve("gateway.pass"), passphrase + "\n");
        Files.writeString(dir.resolve("wms-ca.crt"), CODEC.pem((Object[]) anchors));
    }

    /** A secret file as an operator must install it: mode 0600 (the gateway refuses a more open one). */
    public static void writeOwnerOnly(Path file, String content) throws Exception {
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static X509Certificate convert(JcaX509v3CertificateBuilder b, PrivateKey signingKey) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CODEC.provider()).build(signingKey);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private TestPki() {
    }
}
