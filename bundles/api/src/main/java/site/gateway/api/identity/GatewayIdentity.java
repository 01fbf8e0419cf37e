package site.gateway.api.identity;

import org.osgi.annotation.versioning.ProviderType;

/** Who this gateway is (configuration {@code gateway.identity}); its certificate carries CN=gatewayId, O=tenantId. */
@ProviderType
public interface GatewayIdentity {
    String tenantId();

    String gatewayId();
}
