/** Who this gateway is: tenantId and gatewayId. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package site.gateway.api.identity;
