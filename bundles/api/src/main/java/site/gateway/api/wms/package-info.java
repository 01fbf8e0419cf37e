/**
 * The WMS session: its state, non-durable sends, and the command handler whiteboard.
 * 1.1: {@link site.gateway.api.wms.WmsSessionOpen}, the marker service of an open session.
 * 1.2: {@link site.gateway.api.wms.SessionInfo#transport()}: WebSocket or the HTTPS fallback (§2.6).
 * 1.3: {@link site.gateway.api.wms.SessionInfo#messagesResent()} and {@link site.gateway.api.wms.SessionInfo#failovers()}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package site.gateway.api.wms;
