package site.gateway.api.wms;

/** Where the WMS session is. */
public enum SessionState {
    DISCONNECTED, CONNECTING, CONNECTED
}
