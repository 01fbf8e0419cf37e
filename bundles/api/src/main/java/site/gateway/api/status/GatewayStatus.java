package site.gateway.api.status;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's overall state. Components report their own problems under a source name; the
 * gateway is degraded while any source has a problem.
 */
@ProviderType
public interface GatewayStatus {

    StatusSnapshot current();

    /** Sets or clears ({@code problem == null}) the problem of one source, e.g. {@code plc:plc-1}. */
    void report(String source, String problem);
}
