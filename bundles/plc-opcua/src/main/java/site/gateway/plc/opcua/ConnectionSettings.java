package site.gateway.plc.opcua;

import static site.gateway.support.plcdriver.Options.integer;
import static site.gateway.support.plcdriver.Options.range;

import java.util.Locale;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;

import site.gateway.support.plcdriver.ConnectionString;

/**
 * A connection string as PLC4X 0.13.1's OPC UA driver takes it: {@code opcua:tcp://host[:port][/path][?options]} (or
 * {@code opcua://...}), port 4840 by default. Options (PLC4X's names): {@code security-policy} ({@code NONE},
 * {@code Basic128Rsa15}, {@code Basic256}, {@code Basic256Sha256}, {@code Aes128_Sha256_RsaOaep},
 * {@code Aes256_Sha256_RsaPss}; any case), {@code message-security} ({@code SIGN}, {@code SIGN_ENCRYPT}: the
 * default with a policy), {@code key-store-file} / {@code -type} (PKCS12) / {@code -password} (the client's key and
 * certificate: its first key entry), {@code trust-store-file} / {@code -type} / {@code -password} (the server
 * certificates, or their issuers, that are trusted), {@code server-certificate-file} (a trusted server certificate,
 * PEM or DER, besides the trust store), {@code username} / {@code password}, {@code discovery} (accepted: the
 * endpoints are always asked for, see {@link OpcuaConnection#connect}), {@code request-timeout} (ms, 10000: bounds
 * the connect). Other options (PLC4X's {@code channel-lifetime}, {@code session-timeout}, transport options) are
 * ignored.
 */
record ConnectionSettings(String host, int port, String path, SecurityPolicy policy, MessageSecurityMode mode,
        String keyStoreFile, String keyStoreType, String keyStorePassword, String trustStoreFile, String trustStoreType,
        String trustStorePassword, String serverCertificateFile, String username, String password, int requestTimeoutMs) {
    static final String CODE = "opcua";

    /**
     * Parses a connection string.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static ConnectionSettings parse(String connection) {
        ConnectionString parsed = ConnectionString.parseWithPath(CODE, 4840, "not an OPC UA connection string", connection);
        SecurityPolicy policy = SecurityPolicy.None;
        String modeName = null;
        String keyStore = null;
        String keyStoreType = "PKCS12";
        String keyStorePassword = "";
        String trustStore = null;
        String trustStoreType = "PKCS12";
        String trustStorePassword = "";
        String serverCertificate = null;
        String username = null;
        String password = null;
        int timeout = 10_000;
        for (ConnectionString.Option option : parsed.options()) {
            String key = option.key().trim().toLowerCase(Locale.ROOT);
            String value = option.value().trim();
            switch (key) {
                case "security-policy" -> policy = policy(value);
                case "message-security" -> modeName = value.toUpperCase(Locale.ROOT);
                case "key-store-file" -> keyStore = value;
                case "key-store-type" -> keyStoreType = value;
                case "key-store-password" -> keyStorePassword = value;
                case "trust-store-file" -> trustStore = value;
                case "trust-store-type" -> trustStoreType = value;
                case "trust-store-password" -> trustStorePassword = value;
                case "server-certificate-file" -> serverCertificate = value;
                case "username" -> username = value;
                case "password" -> password = value;
                case "request-timeout" -> timeout = range(key, integer(key, value), 1, 3_600_000);
                default -> { } // discovery, channel-lifetime, session-timeout, transport options: nothing to set
            }
        }
        MessageSecurityMode mode = mode(policy, modeName);
        if (policy != SecurityPolicy.None && (keyStore == null || keyStore.isBlank())) {
            throw new IllegalArgumentException("security-policy=" + policy.name() + " needs key-store-file=<PKCS12 file with the "
                    + "client's key and certificate, trusted by the server>");
        }
        if (policy != SecurityPolicy.None && blank(trustStore) && blank(serverCertificate)) {
            throw new IllegalArgumentException("security-policy=" + policy.name() + " needs trust-store-file=<PKCS12 file with the "
                    + "server's certificate>; without it any server certificate would be accepted");
        }
        if (username == null && password != null) {
            throw new IllegalArgumentException("password given without username");
        }
        return new ConnectionSettings(parsed.host(), parsed.port(), parsed.path(), policy, mode, keyStore, keyStoreType, keyStorePassword, trustStore,
                trustStoreType, trustStorePassword, serverCertificate, username, password == null ? "" : password, timeout);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static SecurityPolicy policy(String name) {
        for (SecurityPolicy policy : SecurityPolicy.values()) {
            if (policy.name().equalsIgnoreCase(name)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("security-policy must be NONE, Basic128Rsa15, Basic256, Basic256Sha256, "
                + "Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss, not '" + name + "'");
    }

    private static MessageSecurityMode mode(SecurityPolicy policy, String name) {
        if (policy == SecurityPolicy.None) {
            if (name != null && !name.equals("NONE")) {
                throw new IllegalArgumentException("message-security=" + name + " needs a security-policy");
            }
            return MessageSecurityMode.None;
        }
        if (name == null) {
            return MessageSecurityMode.SignAndEncrypt;
        }
        return switch (name) {
            case "SIGN" -> MessageSecurityMode.Sign;
            case "SIGN_ENCRYPT" -> MessageSecurityMode.SignAndEncrypt;
            default -> throw new IllegalArgumentException("message-security must be SIGN or SIGN_ENCRYPT with security-policy="
                    + policy.name() + ", not '" + name + "'");
        };
    }

    /** The server's endpoint URL (an IPv6 host in brackets). */
    String endpointUrl() {
        return "opc.tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path;
    }

    /** For logs and errors. */
    String peer() {
        return endpointUrl() + " (" + policy.name() + (mode == MessageSecurityMode.None ? "" : "/" + mode) + ")";
    }

    @Override
    public String toString() {
        return peer(); // never the passwords
    }
}
