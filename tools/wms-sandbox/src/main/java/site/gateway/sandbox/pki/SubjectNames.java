package site.gateway.sandbox.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.X509Certificate;

/** Reads the gateway identity out of a client certificate subject. */
public final class SubjectNames {

    private SubjectNames() {
    }

    /** {@code [tenantId (O), gatewayId (CN)]}; an absent attribute is {@code null}. */
    public static String[] tenantAndGateway(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        return new String[] {first(name, BCStyle.O), first(name, BCStyle.CN)};
    }

    private static String first(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }
}
