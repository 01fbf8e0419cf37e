package site.gateway.api.wms;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Marker service: the WMS's last verdict on the gateway's client certificate, registered by the transport at
 * its first verdict, its service properties updated in place at each later one, unregistered when the
 * transport stops. Accepted: a registration (§2.1) succeeded over connections made with TLS context generation
 * {@link #TLS_GENERATION}, which is what confirms a renewed pair on trial (§5). Refused: the WMS refused the
 * client certificate (TLS handshake, or 401/403 on register or upgrade, §1), which rolls a pair on trial back at
 * once. Certificate rotation references it (dynamic, greedy) with an {@code updated} method; the transport
 * calls nothing back.
 *
 * @since 1.3
 */
@ProviderType
public interface WmsCertificateVerdict {

    /** Service property ({@code Long}): {@code TlsContextProvider.generation()} of the connections judged. */
    String TLS_GENERATION = "tlsGeneration";

    /** Service property ({@code Boolean}): true when a registration succeeded, false when refused. */
    String ACCEPTED = "accepted";

    /** Service property ({@code String}), when refused: what the WMS refused, for the log and the audit. */
    String REASON = "reason";
}
