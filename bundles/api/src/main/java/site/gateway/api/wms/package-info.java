/**
 * The WMS session: its state, non-durable sends, and the command handler whiteboard.
 * 1.1: {@link site.gateway.api.wms.WmsSessionOpen}, the marker service of an open session.
 * 1.2: {@link site.gateway.api.wms.SessionInfo#transport()}: WebSocket or the HTTPS fallback (§2.6).
 * 1.3: {@link site.gateway.api.wms.SessionInfo#messagesResent()} and {@link site.gateway.api.wms.SessionInfo#failovers()};
 * the marker {@link site.gateway.api.wms.WmsCertificateVerdict} and {@link site.gateway.api.wms.WmsSessionOpen#tlsGeneration()}
 * (issue 17.2: certificate rotation follows markers instead of being called by the transport);
 * {@link site.gateway.api.wms.SessionInfo#lastWmsHeartbeatTs()}, so that the heartbeat bundle reads the WMS's heartbeats
 * from the session instead of registering a {@link site.gateway.api.wms.WmsSessionListener} (same release, no second bump).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package site.gateway.api.wms;
