package site.gateway.sandbox;

/** The sandbox's endpoints, for fault switches that apply to some of them. */
public enum Route {
    REGISTER, TOKEN, CERTIFICATE, CRL, HEALTH, MESSAGES, WEBSOCKET
}
