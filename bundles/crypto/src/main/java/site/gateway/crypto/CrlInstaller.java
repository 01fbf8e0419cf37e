package site.gateway.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * §2.4: installs a CRL fetched from the WMS that verifies against a trust anchor (kept in {@code crlFile}) or
 * against an intermediate CA seen in a validated server chain (kept per issuer next to it, {@link IssuerCrls}).
 * The same CRL again is a no-op; an older one is refused.
 */
final class CrlInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(CrlInstaller.class);

    private final PemCodec codec;
    private final MaterialLoader loader;
    private final CryptoReports reports;

    CrlInstaller(PemCodec codec, MaterialLoader loader, CryptoReports reports) {
        this.codec = codec;
        this.loader = loader;
        this.reports = reports;
    }

    /**
     * @param current           the material in force, or null
     * @param validatedIssuers  intermediate CAs of server chains that validated
     * @return whether a new CRL was written (then the context must be rebuilt)
     */
    boolean install(byte[] pemOrDer, Settings s, TlsMaterial current, Collection<X509Certificate> validatedIssuers)
            throws GeneralSecurityException {
        X509CRL crl;
        Path target;
        try {
            crl = codec.crl(pemOrDer);
            List<X509Certificate> anchors = current != null ? current.anchors() : loader.anchors(s);
            X509Certificate intermediate = named(anchors, crl) == null ? named(validatedIssuers, crl) : null;
            ChainValidator.verifyCrl(crl, intermediate == null ? anchors : List.of(intermediate));
            target = intermediate == null ? s.crlFile() : IssuerCrls.fileFor(s.crlFile(), crl.getIssuerX500Principal());
        } catch (CRLException e) {
            throw reject(s, e.getMessage(), e);
        } catch (CryptoException e) {
            throw reject(s, e.getMessage(), new CRLException(e.getMessage(), e));
        }
        X509CRL installed = installedFrom(current, crl);
        if (installed != null) {
            if (Arrays.equals(installed.getEncoded(), crl.getEncoded()) || sameIssue(installed, crl)) {
                return false; // the same CRL fetched again, or the same issue signed again (ECDSA signatures differ)
            }
            if (!crl.getThisUpdate().after(installed.getThisUpdate())) {
                throw reject(s, "CRL of " + crl.getThisUpdate().toInstant() + " is not newer than the installed one of "
                        + installed.getThisUpdate().toInstant(), null);
            }
        }
        try {
            AtomicFiles.write(target, pemOrDer, false);
        } catch (IOException e) {
            throw new GeneralSecurityException("Cannot store the CRL in " + target + ": " + e.getMessage(), e);
        }
        LOG.info("Installed CRL of {} by {} (next update {}), {} revoked certificate(s)", crl.getThisUpdate().toInstant(),
                crl.getIssuerX500Principal().getName(), crl.getNextUpdate() == null ? "unspecified" : crl.getNextUpdate().toInstant(),
                crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
        reports.audit("crl.installed", target.toString(), "ok", Map.of("thisUpdate", crl.getThisUpdate().getTime(),
                "issuer", crl.getIssuerX500Principal().getName()));
        return true;
    }

    /** Same issuer, same thisUpdate, same revoked entries: one CRL issue, whatever its signature bytes. */
    private static boolean sameIssue(X509CRL a, X509CRL b) {
        return a.getIssuerX500Principal().equals(b.getIssuerX500Principal())
                && a.getThisUpdate().equals(b.getThisUpdate())
                && Objects.equals(a.getRevokedCertificates(), b.getRevokedCertificates());
    }

    /** The certificate among {@code certs} named as the CRL's issuer. */
    private static X509Certificate named(Collection<X509Certificate> certs, X509CRL crl) {
        for (X509Certificate c : certs) {
            if (c.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
                return c;
            }
        }
        return null;
    }

    private static X509CRL installedFrom(TlsMaterial current, X509CRL crl) {
        if (current == null) {
            return null;
        }
        X509CRL newest = null;
        for (X509CRL c : current.crls()) {
            if (c.getIssuerX500Principal().equals(crl.getIssuerX500Principal())
                    && (newest == null || c.getThisUpdate().after(newest.getThisUpdate()))) {
                newest = c;
            }
        }
        return newest;
    }

    private CRLException reject(Settings s, String reason, CRLException cause) {
        LOG.error("CRL rejected: {}", reason);
        reports.audit("crl.rejected", s.crlFile().toString(), "rejected", Map.of("reason", reason));
        return cause != null ? cause : new CRLException(reason);
    }
}
