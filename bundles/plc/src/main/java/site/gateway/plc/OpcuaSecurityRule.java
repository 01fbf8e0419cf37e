package site.gateway.plc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OPC UA connections with a security policy must name a trust store. Without one, PLC4X 0.13.1's OPC UA
 * driver accepts any server certificate (its PermissiveCertificateVerifier): encryption without knowing
 * who is at the other end. Refused as a configuration error instead.
 */
final class OpcuaSecurityRule {
    private OpcuaSecurityRule() {
    }

    /** Throws IllegalArgumentException with a clear message when an opcua connection string breaks the rule. */
    static void check(String driverCode, String connection) {
        if (!"opcua".equals(driverCode)) {
            return;
        }
        Map<String, String> parameters = parameters(connection);
        String policy = parameters.getOrDefault("security-policy", "NONE");
        if (policy.equalsIgnoreCase("NONE")) {
            return;
        }
        String trustStore = parameters.get("trust-store-file");
        if (trustStore == null || trustStore.isBlank()) {
            throw new IllegalArgumentException("connection: opcua with security-policy=" + policy
                    + " needs trust-store-file=<PKCS12 file with the server's certificate> (and trust-store-password); "
                    + "without it the driver would accept any server certificate");
        }
        if (!Files.isReadable(Path.of(trustStore))) {
            throw new IllegalArgumentException("connection: trust-store-file " + trustStore + " does not exist or is not readable");
        }
    }

    private static Map<String, String> parameters(String connection) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = connection.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : connection.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).trim().toLowerCase(Locale.ROOT), pair.substring(eq + 1).trim());
            }
        }
        return out;
    }
}
