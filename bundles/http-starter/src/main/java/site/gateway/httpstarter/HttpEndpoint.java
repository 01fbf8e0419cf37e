package site.gateway.httpstarter;

import java.util.Dictionary;
import java.util.function.UnaryOperator;

/**
 * Where Felix HTTP will listen, worked out as Felix HTTP works it out: a key of the configuration
 * {@code org.apache.felix.http} ({@code conf/org.apache.felix.http.cfg}) wins, else the framework
 * property ({@code etc/framework.properties} or {@code -D} in GATEWAY_OPTS), else Felix HTTP's default.
 *
 * @param host the bind address; empty for every interface
 * @param port the HTTP port; 0 for any free port, negative when HTTP is switched off
 */
record HttpEndpoint(String host, int port) {
    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";
    static final String ENABLE = "org.apache.felix.http.enable";
    private static final int FELIX_DEFAULT_PORT = 8080;

    static HttpEndpoint of(Dictionary<String, ?> configuration, UnaryOperator<String> frameworkProperty) {
        String enabled = value(configuration, frameworkProperty, ENABLE);
        if (enabled != null && !Boolean.parseBoolean(enabled)) {
            return new HttpEndpoint("", -1);
        }
        String port = value(configuration, frameworkProperty, PORT);
        String host = value(configuration, frameworkProperty, HOST);
        return new HttpEndpoint(host == null ? "" : host, port == null ? FELIX_DEFAULT_PORT : parsePort(port));
    }

    /** True when there is a fixed port to wait for (not off, not "any free port"). */
    boolean isFixedPort() {
        return port > 0;
    }

    @Override
    public String toString() {
        return (host.isEmpty() ? "*" : host) + ":" + port;
    }

    private static String value(Dictionary<String, ?> configuration, UnaryOperator<String> frameworkProperty, String key) {
        Object configured = configuration == null ? null : configuration.get(key);
        if (configured != null && !configured.toString().isBlank()) {
            return configured.toString().trim();
        }
        String property = frameworkProperty.apply(key);
        return property == null || property.isBlank() ? null : property.trim();
    }

    private static int parsePort(String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            // Felix HTTP falls back to its default for a port it cannot read; so does the wait.
            return FELIX_DEFAULT_PORT;
        }
    }
}
