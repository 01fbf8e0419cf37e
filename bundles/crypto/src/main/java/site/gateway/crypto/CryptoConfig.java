package site.gateway.crypto;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration {@code gateway.crypto}. Relative paths resolve against the system property
 * {@code gateway.home} (else the working directory). The passphrase itself never appears here: only the
 * path of the file holding it, or {@code credential:<name>} for a systemd credential.
 */
@ObjectClassDefinition(name = "Gateway crypto",
        description = "Client certificate and key, trust anchors, CRL and command-signing keys for the WMS connection.")
public @interface CryptoConfig {
    String PID = "gateway.crypto";

    @AttributeDefinition(name = "Certificate chain", description = "PEM chain, leaf first.")
    String certificate() default "certs/gateway.crt";

    @AttributeDefinition(name = "Private key",
            description = "Encrypted PKCS#8 PEM (PBES2, AES-256 with scrypt or PBKDF2); mode 0600, owned by the gateway's user.")
    String privateKey() default "certs/gateway.key";

    @AttributeDefinition(name = "Key passphrase file",
            description = "File holding the key passphrase, or credential:<name> to read $CREDENTIALS_DIRECTORY/<name>.")
    String keyPassphraseFile() default "certs/gateway.pass";

    @AttributeDefinition(name = "Trust anchors", description = "PEM bundle of the CA certificates trusted for WMS servers.")
    String trustAnchors() default "certs/wms-ca.crt";

    @AttributeDefinition(name = "CRL file", description = "The last good CRL of the WMS CA (PEM or DER).")
    String crlFile() default "data/crl/wms.crl";

    @AttributeDefinition(name = "Require a fresh CRL",
            description = "Refuse connections while the CRL is missing or past its nextUpdate.")
    boolean requireFreshCrl() default false;

    @AttributeDefinition(name = "Command keys",
            description = "A folder, or comma-separated PEM files, of Ed25519 public keys; kid = file name without .pem.")
    String commandKeys() default "certs/command-keys";

    @AttributeDefinition(name = "Rotation period (days)", description = "Renew the client certificate when it is older.")
    int rotationDays() default 90;

    @AttributeDefinition(name = "Renew before expiry (days)", description = "Renew when the certificate expires sooner.")
    int renewBeforeDays() default 14;

    @AttributeDefinition(name = "Rotation check interval (minutes)")
    int rotationCheckMinutes() default 60;

    @AttributeDefinition(name = "Rotation retry: first delay (seconds)",
            description = "A failed renewal is retried after this delay, doubling each time (§5).")
    int rotationRetryInitialSeconds() default 60;

    @AttributeDefinition(name = "Rotation retry: longest delay (seconds)")
    int rotationRetryMaxSeconds() default 3600;

    @AttributeDefinition(name = "Rotation confirmation timeout (seconds)",
            description = "A new pair not confirmed by a successful connection within this time is rolled back.")
    int rotationConfirmSeconds() default 600;

    @AttributeDefinition(name = "File poll interval (ms)", description = "How often the files are checked for changes.")
    long pollIntervalMs() default 5000;

    @AttributeDefinition(name = "Development mode",
            description = "DANGER: relaxes server certificate validation. Logs a warning at every connection. Never in production. "
                    + "Refused unless the JVM runs with -Dgateway.allowDevelopmentMode=true.")
    boolean developmentMode() default false;
}
