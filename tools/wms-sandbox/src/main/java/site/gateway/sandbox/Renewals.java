package site.gateway.sandbox;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import site.gateway.sandbox.pki.CertificateAuthority;
import site.gateway.sandbox.pki.PkiException;

import javax.security.auth.x500.X500Principal;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** §2.3 certificate renewal: checks the CSR, signs it with the CA (or misbehaves on request). */
final class Renewals {

    private final CertificateAuthority ca;
    volatile Duration validity;
    final List<X509Certificate> issued = new CopyOnWriteArrayList<>();

    Renewals(CertificateAuthority ca, Duration validity) {
        this.ca = ca;
        this.validity = validity;
    }

    /** The new certificate, or null for {@link RenewalFault#SERVER_ERROR}; PkiException for a bad CSR. */
    X509Certificate renew(PKCS10CertificationRequest csr, X509Certificate current, RenewalFault fault) {
        PublicKey key;
        X500Principal subject;
        try {
            JcaPKCS10CertificationRequest request = new JcaPKCS10CertificationRequest(csr);
            key = request.getPublicKey();
            subject = new X500Principal(request.getSubject().getEncoded());
        } catch (Exception e) {
            throw new PkiException("Unreadable CSR: " + e.getMessage(), e);
        }
        if (!subject.equals(current.getSubjectX500Principal())) {
            throw new PkiException("CSR subject " + subject + " differs from the certificate's " + current.getSubjectX500Principal());
        }
        if (key.equals(current.getPublicKey())) {
            throw new PkiException("CSR must carry a new key pair");
        }
        X509Certificate certificate = switch (fault) {
            case SERVER_ERROR -> null;
            case NONE -> ca.signCsr(csr, validity);
            case WRONG_KEY -> signFor(ca, subject, otherKey());
            case WRONG_SUBJECT -> signFor(ca, new X500Principal("CN=intruder, O=elsewhere"), key);
            case UNTRUSTED_ISSUER -> signFor(CertificateAuthority.create("Untrusted CA"), subject, key);
        };
        if (certificate != null) {
            issued.add(certificate);
        }
        return certificate;
    }

    private X509Certificate signFor(CertificateAuthority signer, X500Principal subject, PublicKey key) {
        Instant now = Instant.now();
        return signer.sign(subject, key, now.minus(Duration.ofMinutes(5)), now.plus(validity), KeyPurposeId.id_kp_clientAuth, List.of());
    }

    private static PublicKey otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair().getPublic();
        } catch (Exception e) {
            throw new PkiException("EC not available", e);
        }
    }
}
