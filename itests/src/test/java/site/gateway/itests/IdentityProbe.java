package site.gateway.itests;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import site.gateway.api.identity.GatewayIdentity;

/**
 * Reads the identity service. Kept apart from the test classes so the API class is loaded only after
 * FileInstall has installed the api bundle from deploy/ (the probe imports it dynamically).
 */
final class IdentityProbe {
    private IdentityProbe() {
    }

    /** {tenantId, gatewayId}, or null while the service is not there. */
    static String[] read(BundleContext context) {
        ServiceReference<GatewayIdentity> ref = context.getServiceReference(GatewayIdentity.class);
        GatewayIdentity identity = ref == null ? null : context.getService(ref);
        return identity == null ? null : new String[] {identity.tenantId(), identity.gatewayId()};
    }
}
