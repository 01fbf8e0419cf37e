/** The WMS session: its state, non-durable sends, and the command handler whiteboard. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package site.gateway.api.wms;
