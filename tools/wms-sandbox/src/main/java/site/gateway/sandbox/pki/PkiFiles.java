package site.gateway.sandbox.pki;

import java.nio.file.Path;

/**
 * Where {@link DevPki#writeTo} puts each file. The gateway gets everything at the top level and in
 * {@code command-keys/}; {@code wms/} holds what only the WMS side may know.
 */
public record PkiFiles(
        Path dir,
        /** {@code wms-ca.crt}: the WMS CA certificate (PEM), the gateway's trust anchors. */
        Path caCertificate,
        /** {@code wms.crl}: CRL signed by the CA (PEM). */
        Path crl,
        /** {@code gateway.crt}: the gateway client certificate chain (PEM, leaf, then the CA). */
        Path gatewayCertificate,
        /** {@code gateway.key}: the gateway key, encrypted PKCS#8 PEM (PBKDF2-SHA256, AES-256-CBC). */
        Path gatewayKey,
        /** {@code gateway.pass}: the passphrase (UTF-8, no newline), mode 0600. */
        Path gatewayKeyPassphrase,
        /** {@code command-keys/}: Ed25519 public keys, one {@code <kid>.pem} each. */
        Path commandKeysDir,
        /** {@code command-keys/<kid>.pem}. */
        Path commandPublicKey,
        /** {@code wms/ca.key.pem}: CA private key (unencrypted PKCS#8, 0600). */
        Path caKey,
        /** {@code wms/server.pem}: server certificate chain for localhost / 127.0.0.1. */
        Path serverCertificate,
        /** {@code wms/server.key.pem}: server private key (unencrypted PKCS#8, 0600). */
        Path serverKey,
        /** {@code wms/command-keys/<kid>.key.pem}: Ed25519 signing key (unencrypted PKCS#8, 0600). */
        Path commandPrivateKey) {

    // Names are the defaults of the gateway's gateway.crypto.cfg (docs/crypto.md).
    public static final String CA = "wms-ca.crt";
    public static final String CRL = "wms.crl";
    public static final String GATEWAY_CERT = "gateway.crt";
    public static final String GATEWAY_KEY = "gateway.key";
    public static final String GATEWAY_KEY_PASS = "gateway.pass";
    public static final String COMMAND_KEYS = "command-keys";
    public static final String WMS = "wms";

    public static PkiFiles in(Path dir, String kid) {
        Path wms = dir.resolve(WMS);
        return new PkiFiles(dir, dir.resolve(CA), dir.resolve(CRL), dir.resolve(GATEWAY_CERT), dir.resolve(GATEWAY_KEY),
                dir.resolve(GATEWAY_KEY_PASS), dir.resolve(COMMAND_KEYS), dir.resolve(COMMAND_KEYS).resolve(kid + ".pem"),
                wms.resolve("ca.key.pem"), wms.resolve("server.pem"), wms.resolve("server.key.pem"),
                wms.resolve(COMMAND_KEYS).resolve(kid + ".key.pem"));
    }
}
