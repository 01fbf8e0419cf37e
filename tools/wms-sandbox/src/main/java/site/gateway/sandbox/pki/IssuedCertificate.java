package site.gateway.sandbox.pki;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate with its private key and the chain to present (leaf first, the issuing CA
 * last). The private key is {@code null} when only the certificate is known.
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey, List<X509Certificate> chain) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
    }

    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    /** The chain as an array, as the JDK's key stores want it. */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }
}
