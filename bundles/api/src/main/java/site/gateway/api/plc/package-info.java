/** The managed PLCs: status, reads and writes, per plcId. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package site.gateway.api.plc;
