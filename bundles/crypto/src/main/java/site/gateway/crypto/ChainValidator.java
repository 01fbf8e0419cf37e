package site.gateway.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a certificate chain the way the protocol (§1) asks: PKIX path to the configured anchors,
 * validity period, extended key usage, host name (SAN), and revocation against the last good CRL. Each
 * failure is a {@link CertificateException} whose message says exactly what failed.
 */
public final class ChainValidator {
    public static final String EKU_SERVER = "1.3.6.1.5.5.7.3.1";
    public static final String EKU_CLIENT = "1.3.6.1.5.5.7.3.2";
    private static final String EKU_ANY = "2.5.29.37.0";

    private final List<X509Certificate> anchors;
    private final Set<TrustAnchor> trustAnchors;
    private final List<X509CRL> crls;
    private final boolean requireFreshCrl;
    private final Clock clock;

    public ChainValidator(List<X509Certificate> anchors, X509CRL crl, boolean requireFreshCrl, Clock clock) {
        this(anchors, crl == null ? List.of() : List.of(crl), requireFreshCrl, clock);
    }

    /**
     * @param crls the CRLs held, at most one per issuer: the WMS CA's (a trust anchor) and those of
     *             intermediate CAs. Each is used only after its signature verified against the issuer's
     *             certificate in the validated path, so an unverified file can never vouch for anything.
     */
    public ChainValidator(List<X509Certificate> anchors, List<X509CRL> crls, boolean requireFreshCrl, Clock clock) {
        this.crls = List.copyOf(crls);
        this.anchors = List.copyOf(anchors);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate a : anchors) {
            set.add(new TrustAnchor(a, null));
        }
        this.trustAnchors = Set.copyOf(set);
        this.requireFreshCrl = requireFreshCrl;
        this.clock = clock;
    }

    /**
     * Full check of a WMS server chain (leaf first) for a connection to {@code host}.
     *
     * @return the validated path (leaf first, without the trust anchor)
     */
    public List<X509Certificate> validateServer(X509Certificate[] chain, String host) throws CertificateException {
        List<X509Certificate> path = validatePath(chain, EKU_SERVER);
        String mismatch = HostnameMatcher.mismatch(host, path.get(0));
        if (mismatch != null) {
            throw new CertificateException(mismatch);
        }
        checkRevocation(path);
        return path;
    }

    /** Chain to the anchors, validity and key usage only (used for our own renewed client certificate). */
    public List<X509Certificate> validatePath(X509Certificate[] chain, String extendedKeyUsage) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("empty certificate chain");
        }
        Instant now = clock.instant();
        X509Certificate leaf = chain[0];
        try {
            leaf.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new CertificateException("certificate " + leaf.getSubjectX500Principal() + " expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new CertificateException("certificate " + leaf.getSubjectX500Principal() + " is not valid before "
                    + leaf.getNotBefore().toInstant());
        }
        checkExtendedKeyUsage(leaf, extendedKeyUsage);
        // The path handed to PKIX must not contain the anchor itself.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!anchors.contains(c)) {
                path.add(c);
            }
        }
        if (path.isEmpty()) {
            throw new CertificateException("the peer presented a trust anchor itself as its certificate");
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(trustAnchors);
            params.setRevocationEnabled(false); // checked below against our CRL file, never online
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw new CertificateException("certificate chain of " + leaf.getSubjectX500Principal()
                    + " does not validate against the trust anchors: " + describe(e), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("certificate chain validation failed: " + e.getMessage(), e);
        }
        return path;
    }

    private static String describe(CertPathValidatorException e) {
        String msg = e.getMessage();
        if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
            return "a CA certificate expired (" + msg + ")";
        }
        if (msg != null && msg.contains("Path does not chain with any of the trust anchors")) {
            return "issuer is not a trusted CA (untrusted chain)";
        }
        return msg;
    }

    private static void checkExtendedKeyUsage(X509Certificate leaf, String required) throws CertificateException {
        List<String> eku = leaf.getExtendedKeyUsage();
        if (eku != null && !eku.contains(required) && !eku.contains(EKU_ANY)) {
            throw new CertificateException("certificate " + leaf.getSubjectX500Principal()
                    + " is not allowed for " + (EKU_SERVER.equals(required) ? "serverAuth" : "clientAuth") + " " + eku);
        }
    }

    /**
     * Every certificate of the path against the CRL of its own issuer: the next certificate of the path (an
     * intermediate CA) or the trust anchor. A CRL counts only if its signature verifies with that issuer's key.
     */
    private void checkRevocation(List<X509Certificate> path) throws CertificateException {
        Instant now = clock.instant();
        List<X509CRL> used = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchorOf(c);
            X509CRL crl = issuer == null ? null : crlOf(issuer);
            used.add(crl);
            X509CRLEntry entry = crl == null ? null : crl.getRevokedCertificate(c);
            if (entry != null) {
                throw new CertificateException("certificate " + c.getSubjectX500Principal() + " (serial "
                        + c.getSerialNumber().toString(16) + ") is revoked since " + entry.getRevocationDate().toInstant());
            }
        }
        for (int i = 0; requireFreshCrl && i < path.size(); i++) { // a revocation, found above, says more
            X509CRL crl = used.get(i);
            if (isStale(crl, now)) {
                String of = " of " + path.get(i).getIssuerX500Principal().getName();
                throw new CertificateException(crl == null ? "no CRL" + of + " is installed and requireFreshCrl is set"
                        : "the CRL" + of + " is past its nextUpdate " + crl.getNextUpdate().toInstant() + " and requireFreshCrl is set");
            }
        }
    }

    private X509Certificate anchorOf(X509Certificate c) {
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                return a;
            }
        }
        return null;
    }

    /** The newest CRL issued by {@code issuer} whose signature verifies with its key, or null. */
    private X509CRL crlOf(X509Certificate issuer) {
        X509CRL best = null;
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())
                    && (best == null || crl.getThisUpdate().after(best.getThisUpdate()))) {
                try {
                    crl.verify(issuer.getPublicKey());
                    best = crl;
                } catch (GeneralSecurityException forged) {
                    // not this issuer's: ignored
                }
            }
        }
        return best;
    }

    /** A CRL is stale when there is none or its nextUpdate has passed. */
    public static boolean isStale(X509CRL crl, Instant now) {
        return crl == null || (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().isBefore(now));
    }

    /**
     * Verifies a CRL's signature against one of the certificates (trust anchors, or intermediate CAs of a
     * validated path) whose subject is the CRL's issuer.
     */
    public static void verifyCrl(X509CRL crl, List<X509Certificate> anchors) throws java.security.cert.CRLException {
        for (X509Certificate a : anchors) {
            if (a.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                try {
                    crl.verify(a.getPublicKey());
                    return;
                } catch (GeneralSecurityException e) {
                    throw new java.security.cert.CRLException("CRL signature does not verify against trust anchor "
                            + a.getSubjectX500Principal() + ": " + e.getMessage(), e);
                }
            }
        }
        throw new java.security.cert.CRLException("CRL issuer " + crl.getIssuerX500Principal() + " is not a trust anchor");
    }
}
