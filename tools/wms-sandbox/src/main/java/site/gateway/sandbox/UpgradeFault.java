package site.gateway.sandbox;

/**
 * How the sandbox mistreats WebSocket upgrades, the way a proxy or firewall on the path does while plain HTTPS
 * passes: {@link #RESET} closes the connection without an answer, {@link #HANG} never answers.
 * (Refusing with a status is {@link WmsSandbox#refuse}.)
 */
public enum UpgradeFault {
    NONE, RESET, HANG
}
