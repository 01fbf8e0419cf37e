package site.gateway.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.PemIo;
import site.gateway.sandbox.pki.PkiFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Command line: {@code pki} writes a development PKI, {@code serve} runs the sandbox on it,
 * {@code sign} signs a command file. See docs/wms-sandbox.md.
 */
public final class Main {

    private static final String USAGE = """
            usage:
              java -jar wms-sandbox.jar pki --out DIR --tenant T --gateway G [--kid K] [--days N] [--passphrase-file F]
              java -jar wms-sandbox.jar serve --pki DIR [--host 127.0.0.1] [--port 8443] [--admin-port 8444]
                    [--heartbeat-seconds 10] [--token-lifetime-seconds 3600] [--ack-delay-ms 5]
                    [--client-cert-check handshake|http] [--tls12-only] [--quiet]
              java -jar wms-sandbox.jar sign --pki DIR --file COMMAND.json
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "pki" -> pki(options);
            case "serve" -> serve(options);
            case "sign" -> sign(options);
            default -> {
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }

    private static void pki(Map<String, String> o) {
        Path out = Path.of(required(o, "out"));
        DevPki pki = DevPki.generate(required(o, "tenant"), required(o, "gateway"), o.getOrDefault("kid", DevPki.DEFAULT_KID),
                Duration.ofDays(Long.parseLong(o.getOrDefault("days", "365"))));
        char[] passphrase;
        String passFile = o.get("passphrase-file");
        if (passFile != null && Files.exists(Path.of(passFile))) {
            passphrase = DevPki.readPassphrase(Path.of(passFile));
        } else {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        }
        PkiFiles files = pki.writeTo(out, passphrase);
        if (passFile != null && !Path.of(passFile).toAbsolutePath().equals(files.gatewayKeyPassphrase().toAbsolutePath())) {
            PemIo.write(Path.of(passFile), new String(passphrase), true);
        }
        System.out.println("Development PKI for " + pki.tenantId() + "/" + pki.gatewayId() + " written to " + out.toAbsolutePath());
        System.out.println("  trust anchors        " + files.caCertificate());
        System.out.println("  CRL                  " + files.crl());
        System.out.println("  gateway certificate  " + files.gatewayCertificate() + " (serial "
                + pki.gatewayCertificate().serial().toString(16) + ")");
        System.out.println("  gateway key          " + files.gatewayKey() + " (encrypted)");
        System.out.println("  key passphrase file  " + files.gatewayKeyPassphrase());
        System.out.println("  command keys         " + files.commandKeysDir() + " (kid " + pki.commandKey().kid() + ")");
        System.out.println("  WMS side only        " + files.caKey().getParent());
    }

    private static void serve(Map<String, String> o) throws InterruptedException {
        DevPki pki = DevPki.load(Path.of(required(o, "pki")));
        WmsSandbox sandbox = WmsSandbox.builder(pki)
                .host(o.getOrDefault("host", "127.0.0.1"))
                .port(Integer.parseInt(o.getOrDefault("port", "8443")))
                .adminPort(Integer.parseInt(o.getOrDefault("admin-port", "8444")))
                .heartbeatIntervalSeconds(Integer.parseInt(o.getOrDefault("heartbeat-seconds", "10")))
                .tokenLifetime(Duration.ofSeconds(Long.parseLong(o.getOrDefault("token-lifetime-seconds", "3600"))))
                .ackDelay(Duration.ofMillis(Long.parseLong(o.getOrDefault("ack-delay-ms", "5"))))
                .clientCertificateCheck(ClientCertificateCheck.valueOf(o.getOrDefault("client-cert-check", "handshake").toUpperCase()))
                .tls12Only(o.containsKey("tls12-only"))
                .logMessages(!o.containsKey("quiet"))
                .start();
        System.out.println("WMS sandbox for " + pki.tenantId() + "/" + pki.gatewayId() + " at " + sandbox.baseUrl()
                + (sandbox.adminPort() < 0 ? "" : ", admin at http://" + o.getOrDefault("host", "127.0.0.1") + ":" + sandbox.adminPort() + "/admin/state"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.stop();
            stopped.countDown();
        }, "wms-sandbox-shutdown"));
        stopped.await();
    }

    private static void sign(Map<String, String> o) throws Exception {
        DevPki pki = DevPki.load(Path.of(required(o, "pki")));
        ObjectNode command = (ObjectNode) Json.parse(Files.readString(Path.of(required(o, "file"))));
        System.out.println(Json.write(new CommandSigner(pki.commandKey()).sign(command)));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i] + "\n" + USAGE);
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            System.err.println("missing --" + name);
            System.err.print(USAGE);
            System.exit(2);
        }
        return value;
    }
}
