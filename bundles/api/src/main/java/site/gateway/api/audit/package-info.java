/** The tamper-evident audit trail used by every bundle. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package site.gateway.api.audit;
