package site.gateway.sandbox.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A development certificate authority (EC P-256, SHA256withECDSA): issues server and gateway
 * certificates, signs CSRs, keeps a revocation list and signs CRLs. Thread-safe.
 */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SIGNATURE = "SHA256withECDSA";

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
    private volatile Duration crlValidity = Duration.ofDays(7);
    private volatile X509CRL crl;
    private long crlNumber;

    private CertificateAuthority(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** A new self-signed CA valid from an hour ago for ten years. */
    public static CertificateAuthority create(String commonName) {
        KeyPair pair = newEcKeyPair();
        Instant now = Instant.now();
        X500Principal subject = new X500Principal("CN=" + commonName + ", O=WMS sandbox");
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(signer(pair.getPrivate())));
            CertificateAuthority ca = new CertificateAuthority(pair, cert);
            ca.issueCrl();
            return ca;
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new PkiException("Cannot create CA " + commonName, e);
        }
    }

    /** An existing CA, for instance read back from the files {@link DevPki#writeTo} wrote. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey, X509CRL previousCrl) {
        CertificateAuthority ca = new CertificateAuthority(new KeyPair(certificate.getPublicKey(), privateKey), certificate);
        if (previousCrl != null && previousCrl.getRevokedCertificates() != null) {
            previousCrl.getRevokedCertificates().forEach(entry ->
                    ca.revoked.put(entry.getSerialNumber(), entry.getRevocationDate().toInstant()));
        }
        ca.issueCrl();
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    /** A server certificate with the given DNS names and IP addresses in its SAN (first one also the CN). */
    public IssuedCertificate issueServer(Instant notBefore, Instant notAfter, String... hosts) {
        KeyPair pair = newEcKeyPair();
        X500Principal subject = new X500Principal("CN=" + hosts[0] + ", O=WMS sandbox");
        X509Certificate cert = sign(subject, pair.getPublic(), notBefore, notAfter, KeyPurposeId.id_kp_serverAuth, List.of(hosts));
        return new IssuedCertificate(cert, pair.getPrivate(), List.of(cert, certificate));
    }

    /** A gateway client certificate {@code CN=<gatewayId>, O=<tenantId>}. */
    public IssuedCertificate issueClient(String tenantId, String gatewayId, Instant notBefore, Instant notAfter) {
        KeyPair pair = newEcKeyPair();
        X509Certificate cert = sign(gatewaySubject(tenantId, gatewayId), pair.getPublic(), notBefore, notAfter,
                KeyPurposeId.id_kp_clientAuth, List.of());
        return new IssuedCertificate(cert, pair.getPrivate(), List.of(cert, certificate));
    }

    public static X500Principal gatewaySubject(String tenantId, String gatewayId) {
        return new X500Principal("CN=" + gatewayId + ", O=" + tenantId);
    }

    /**
     * Signs a PKCS#10 request after checking its self-signature; the certificate gets the
     * request's subject and public key, client-auth usage, valid from now for {@code validity}.
     */
    public X509Certificate signCsr(PKCS10CertificationRequest csr, Duration validity) {
        try {
            JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(csr);
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getPublicKey()))) {
                throw new PkiException("CSR signature does not verify");
            }
            X500Principal subject = new X500Principal(request.getSubject().getEncoded());
            Instant now = Instant.now();
            return sign(subject, request.getPublicKey(), now.minus(Duration.ofMinutes(5)), now.plus(validity),
                    KeyPurposeId.id_kp_clientAuth, List.of());
        } catch (PkiException e) {
            throw e;
        } catch (Exception e) {
            throw new PkiException("Cannot sign CSR: " + e.getMessage(), e);
        }
    }

    /** Signs any public key; {@code hosts} (DNS names or IP literals) go into the SAN when not empty. */
    public X509Certificate sign(X500Principal subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
                                KeyPurposeId usage, List<String> hosts) {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, newSerial(),
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            if (!hosts.isEmpty()) {
                List<GeneralName> names = new ArrayList<>();
                for (String host : hosts) {
                    names.add(isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(keyPair.getPrivate())));
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new PkiException("Cannot sign certificate for " + subject, e);
        }
    }

    /** Adds the serial to the revocation list and issues a new CRL, which it returns. */
    public X509CRL revoke(BigInteger serial) {
        revoked.putIfAbsent(serial, Instant.now());
        return issueCrl();
    }

    public boolean isRevoked(BigInteger serial) {
        return revoked.containsKey(serial);
    }

    /** The current CRL (the last one issued). */
    public X509CRL crl() {
        return crl;
    }

    /** How long a newly issued CRL is valid ({@code nextUpdate - thisUpdate}); negative gives a stale CRL. */
    public void crlValidity(Duration validity) {
        this.crlValidity = validity;
    }

    /** Issues and returns a new CRL with the current revocations, {@code thisUpdate} now. */
    public synchronized X509CRL issueCrl() {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    Date.from(now.minusSeconds(1)));
            builder.setNextUpdate(Date.from(now.plus(crlValidity)));
            revoked.forEach((serial, when) -> builder.addCRLEntry(serial, Date.from(when), CRLReason.keyCompromise));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(++crlNumber)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            X509CRLHolder holder = builder.build(signer(keyPair.getPrivate()));
            crl = new JcaX509CRLConverter().getCRL(holder);
            return crl;
        } catch (GeneralSecurityException | org.bouncycastle.cert.CertIOException e) {
            throw new PkiException("Cannot issue CRL", e);
        }
    }

    static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("EC P-256 not available", e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(key);
        } catch (Exception e) {
            throw new PkiException("Cannot build signer", e);
        }
    }

    private static BigInteger newSerial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static boolean isIpLiteral(String host) {
        if (host.contains(":")) {
            return true;
        }
        if (!host.matches("[0-9.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
