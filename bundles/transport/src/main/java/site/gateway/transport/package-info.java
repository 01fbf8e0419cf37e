/** The WMS transport: protocol v1 session over HTTPS and WebSocket (internal, not exported). */
package site.gateway.transport;
