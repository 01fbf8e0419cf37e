package site.gateway.crypto;

import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Everything a TLS context is built from, loaded and checked together.
 *
 * @param crl        the last good CRL of the WMS CA (a trust anchor), or null when none is installed (or the
 *                   file's CRL did not verify)
 * @param issuerCrls the CRLs of intermediate CAs ({@link IssuerCrls}), verified when used
 * @param crlProblem why the CRL file was not used, or null
 * @param pending    true while a renewed pair is on trial
 */
public record TlsMaterial(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> anchors, X509CRL crl,
        List<X509CRL> issuerCrls, String crlProblem, boolean pending) {
    public TlsMaterial {
        chain = List.copyOf(chain);
        anchors = List.copyOf(anchors);
        issuerCrls = List.copyOf(issuerCrls);
    }

    /** Every CRL held: the WMS CA's and the intermediates'. */
    public List<X509CRL> crls() {
        List<X509CRL> all = new java.util.ArrayList<>(issuerCrls);
        if (crl != null) {
            all.add(0, crl);
        }
        return all;
    }
}
