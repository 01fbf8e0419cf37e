/** The tamper-evident audit trail used by every bundle (1.2: AuditTrail.problem). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package site.gateway.api.audit;
