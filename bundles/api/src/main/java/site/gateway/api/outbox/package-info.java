/** The durable outbox: every message the WMS must receive, numbered by seq, kept until acknowledged. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package site.gateway.api.outbox;
