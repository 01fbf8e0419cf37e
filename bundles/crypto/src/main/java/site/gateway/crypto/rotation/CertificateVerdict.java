package site.gateway.crypto.rotation;

import java.util.Map;
import java.util.Optional;

import site.gateway.api.wms.WmsCertificateVerdict;

/** What the transport's {@link WmsCertificateVerdict} marker says: the generation judged, accepted or refused and why. */
record CertificateVerdict(long tlsGeneration, boolean accepted, String reason) {

    /** From the marker's service properties; empty when the generation or the outcome is missing or mistyped. */
    static Optional<CertificateVerdict> of(Map<String, ?> properties) {
        if (properties.get(WmsCertificateVerdict.TLS_GENERATION) instanceof Long generation
                && properties.get(WmsCertificateVerdict.ACCEPTED) instanceof Boolean accepted) {
            return Optional.of(new CertificateVerdict(generation, accepted,
                    String.valueOf(properties.get(WmsCertificateVerdict.REASON))));
        }
        return Optional.empty();
    }
}
