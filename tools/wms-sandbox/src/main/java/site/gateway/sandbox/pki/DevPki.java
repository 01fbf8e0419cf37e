package site.gateway.sandbox.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The development PKI of one gateway and its WMS: a CA, the server certificate for
 * localhost/127.0.0.1, the gateway client certificate {@code CN=<gatewayId>, O=<tenantId>}, a CRL,
 * and an Ed25519 command-signing key. Generated in memory ({@link #generate}), written to a folder
 * ({@link #writeTo}) and read back ({@link #load}). Also issues the odd certificates tests need.
 */
public final class DevPki {

    public static final String DEFAULT_KID = "wms-cmd-1";
    public static final String[] LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"};

    private final String tenantId;
    private final String gatewayId;
    private final CertificateAuthority ca;
    private final IssuedCertificate server;
    private final IssuedCertificate gateway;
    private final CommandKey commandKey;

    private DevPki(String tenantId, String gatewayId, CertificateAuthority ca, IssuedCertificate server,
                   IssuedCertificate gateway, CommandKey commandKey) {
        this.tenantId = tenantId;
        this.gatewayId = gatewayId;
        this.ca = ca;
        this.server = server;
        this.gateway = gateway;
        this.commandKey = commandKey;
    }

    public static DevPki generate(String tenantId, String gatewayId) {
        return generate(tenantId, gatewayId, DEFAULT_KID, Duration.ofDays(365));
    }

    /** Certificates valid from an hour ago for {@code validity}. */
    public static DevPki generate(String tenantId, String gatewayId, String kid, Duration validity) {
        CertificateAuthority ca = CertificateAuthority.create("WMS sandbox CA");
        Instant from = Instant.now().minus(Duration.ofHours(1));
        Instant to = Instant.now().plus(validity);
        IssuedCertificate server = ca.issueServer(from, to, LOCAL_HOSTS);
        IssuedCertificate gateway = ca.issueClient(tenantId, gatewayId, from, to);
        return new DevPki(tenantId, gatewayId, ca, server, gateway, CommandKey.generate(kid));
    }

    public String tenantId() {
        return tenantId;
    }

    public String gatewayId() {
        return gatewayId;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** The server certificate for localhost, 127.0.0.1 and ::1, signed by the CA. */
    public IssuedCertificate serverCertificate() {
        return server;
    }

    /** The gateway's client certificate and (unencrypted, in memory) key. */
    public IssuedCertificate gatewayCertificate() {
        return gateway;
    }

    public CommandKey commandKey() {
        return commandKey;
    }

    public X509CRL crl() {
        return ca.crl();
    }

    // ---- certificates for tests ----

    /** A server certificate with custom validity and SAN hosts, signed by this CA. */
    public IssuedCertificate issueServerCertificate(Instant notBefore, Instant notAfter, String... hosts) {
        return ca.issueServer(notBefore, notAfter, hosts.length == 0 ? LOCAL_HOSTS : hosts);
    }

    /** A server certificate for localhost that expired yesterday. */
    public IssuedCertificate issueExpiredServerCertificate() {
        Instant now = Instant.now();
        return ca.issueServer(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), LOCAL_HOSTS);
    }

    /** A valid server certificate whose SAN names only {@code host} (e.g. "wms.example"): wrong for localhost. */
    public IssuedCertificate issueServerCertificateForHost(String host) {
        Instant now = Instant.now();
        return ca.issueServer(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), host);
    }

    /** A client certificate for any identity, signed by this CA. */
    public IssuedCertificate issueGatewayCertificate(String tenantId, String gatewayId, Instant notBefore, Instant notAfter) {
        return ca.issueClient(tenantId, gatewayId, notBefore, notAfter);
    }

    /** Revokes a certificate of this CA; returns the new CRL (also served by the sandbox from now on). */
    public X509CRL revoke(X509Certificate certificate) {
        return ca.revoke(certificate.getSerialNumber());
    }

    /** A localhost server certificate from a fresh CA that nobody trusts. */
    public static IssuedCertificate untrustedServerCertificate() {
        CertificateAuthority stranger = CertificateAuthority.create("Untrusted CA");
        Instant now = Instant.now();
        return stranger.issueServer(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)), LOCAL_HOSTS);
    }

    /** A gateway client certificate from a fresh CA that the sandbox does not trust. */
    public static IssuedCertificate untrustedGatewayCertificate(String tenantId, String gatewayId) {
        CertificateAuthority stranger = CertificateAuthority.create("Untrusted CA");
        Instant now = Instant.now();
        return stranger.issueClient(tenantId, gatewayId, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
    }

    // ---- files ----

    /** Writes the layout of {@link PkiFiles} with a new random passphrase. */
    public PkiFiles writeTo(Path dir) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return writeTo(dir, Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray());
    }

    /** Writes the layout of {@link PkiFiles}; private key files are 0600. */
    public PkiFiles writeTo(Path dir, char[] passphrase) {
        PkiFiles files = PkiFiles.in(dir, commandKey.kid());
        PemIo.write(files.caCertificate(), PemIo.toPem(ca.certificate()), false);
        PemIo.write(files.crl(), PemIo.toPem(ca.crl()), false);
        writeGatewayCredentials(gateway, files.gatewayCertificate(), files.gatewayKey(), files.gatewayKeyPassphrase(), passphrase);
        PemIo.write(files.commandPublicKey(), PemIo.publicKeyPem(commandKey.publicKey()), false);
        PemIo.write(files.caKey(), PemIo.privateKeyPem(ca.privateKey()), true);
        PemIo.write(files.serverCertificate(), PemIo.toPem(server.chain()), false);
        PemIo.write(files.serverKey(), PemIo.privateKeyPem(server.privateKey()), true);
        PemIo.write(files.commandPrivateKey(), PemIo.privateKeyPem(commandKey.privateKey()), true);
        return files;
    }

    /** Writes the current CRL to {@code file} (e.g. after {@link #revoke}). */
    public void writeCrl(Path file) {
        PemIo.write(file, PemIo.toPem(ca.crl()), false);
    }

    /** Writes any client certificate the way the gateway reads its own: chain PEM, encrypted key, passphrase file. */
    public static void writeGatewayCredentials(IssuedCertificate certificate, Path certFile, Path keyFile, Path passFile,
                                               char[] passphrase) {
        PemIo.write(certFile, PemIo.toPem(certificate.chain()), false);
        PemIo.write(keyFile, PemIo.encryptedPrivateKeyPem(certificate.privateKey(), passphrase), true);
        PemIo.write(passFile, new String(passphrase), true);
    }

    /** Reads back a folder written by {@link #writeTo} (the gateway key is decrypted with its passphrase file). */
    public static DevPki load(Path dir) {
        X509Certificate caCert = PemIo.readCertificates(dir.resolve(PkiFiles.CA)).get(0);
        Path wms = dir.resolve(PkiFiles.WMS);
        X509CRL previous = Files.exists(dir.resolve(PkiFiles.CRL)) ? PemIo.readCrl(dir.resolve(PkiFiles.CRL)) : null;
        CertificateAuthority ca = CertificateAuthority.of(caCert, PemIo.readPrivateKey(wms.resolve("ca.key.pem"), "EC"), previous);
        List<X509Certificate> serverChain = PemIo.readCertificates(wms.resolve("server.pem"));
        IssuedCertificate server = new IssuedCertificate(serverChain.get(0),
                PemIo.readPrivateKey(wms.resolve("server.key.pem"), "EC"), serverChain);
        List<X509Certificate> gatewayChain = PemIo.readCertificates(dir.resolve(PkiFiles.GATEWAY_CERT));
        char[] passphrase = readPassphrase(dir.resolve(PkiFiles.GATEWAY_KEY_PASS));
        IssuedCertificate gateway = new IssuedCertificate(gatewayChain.get(0),
                PemIo.readEncryptedPrivateKey(dir.resolve(PkiFiles.GATEWAY_KEY), passphrase, "EC"), gatewayChain);
        Path signingKey = singleKeyFile(wms.resolve(PkiFiles.COMMAND_KEYS));
        String kid = signingKey.getFileName().toString().replaceFirst("\\.key\\.pem$", "");
        CommandKey commandKey = new CommandKey(kid,
                PemIo.readPublicKey(dir.resolve(PkiFiles.COMMAND_KEYS).resolve(kid + ".pem"), "Ed25519"),
                PemIo.readPrivateKey(signingKey, "Ed25519"));
        String[] ids = SubjectNames.tenantAndGateway(gatewayChain.get(0));
        return new DevPki(ids[0], ids[1], ca, server, gateway, commandKey);
    }

    public static char[] readPassphrase(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new PkiException("Cannot read passphrase file " + file, e);
        }
    }

    private static Path singleKeyFile(Path dir) {
        try (DirectoryStream<Path> keys = Files.newDirectoryStream(dir, "*.key.pem")) {
            for (Path key : keys) {
                return key;
            }
        } catch (IOException e) {
            throw new PkiException("Cannot list " + dir, e);
        }
        throw new PkiException("No command signing key (*.key.pem) in " + dir);
    }
}
