/**
 * The WMS session: its state, non-durable sends, and the command handler whiteboard.
 * 1.1: {@link site.gateway.api.wms.WmsSessionOpen}, the marker service of an open session.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package site.gateway.api.wms;
