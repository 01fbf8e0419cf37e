package site.gateway.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * A GATEWAY_HOME provisioned as a site provisions it (development PKI in certs/, a fresh CRL, identity,
 * the sandbox as WMS endpoint, a simulated PLC polled fast), for the loss tests that start, kill and
 * restart the distribution on it.
 */
final class SiteHome implements AutoCloseable {
    static final String TENANT = "acme-loss";
    static final String PLC = "sim1";

    final Path home;
    final DevPki pki;
    final String gatewayId;

    SiteHome(String gatewayId) throws IOException {
        this.gatewayId = gatewayId;
        this.home = Files.createTempDirectory("gateway-loss-home");
        this.pki = DevPki.generate(TENANT, gatewayId);
        pki.writeTo(home.resolve("certs"), "loss-passphrase-not-secret".toCharArray());
        Files.createDirectories(home.resolve("data/crl"));
        pki.writeCrl(home.resolve("data/crl/wms.crl"));
    }

    /** The .cfg files: identity, the WMS, a simulated PLC with two changing tags polled every {@code pollMs}, plus {@code extra}. */
    Map<String, String> config(WmsSandbox wms, long pollMs, Map<String, String> extra) {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("gateway.identity.cfg", "tenantId = " + TENANT + "\ngatewayId = " + gatewayId + "\n");
        cfg.put("gateway.wms.cfg", "endpoints = " + wms.baseUrl() + "\nbackoffInitialMs = 100\nbackoffMaxMs = 1000\n");
        cfg.put("gateway.plc-" + PLC + ".cfg", "plcId = " + PLC + "\nconnection = simulated://" + PLC + "\npollIntervalMs = " + pollMs
                + "\ntags = line.speed=RANDOM/line_speed:REAL, line.count=RANDOM/line_count:DINT, line.target=STATE/line_target:DINT\n"
                + "writable.line.target = true\n");
        cfg.putAll(extra);
        return cfg;
    }

    /** Keeps logs/gateway.log and console.out next to the failsafe reports, named after the test. */
    void keepLogs(String test) {
        try {
            Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
            for (String name : List.of("logs/gateway.log", "console.out")) {
                Path file = home.resolve(name);
                if (Files.exists(file)) {
                    Files.copy(file, reports.resolve(test + "-" + file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            System.err.println(test + ": could not keep the gateway logs: " + e);
        }
    }

    String logTail(int lines) {
        try {
            Path log = home.resolve("logs/gateway.log");
            List<String> all = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream().collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(cannot read the log: " + e + ")";
        }
    }

    /** {@code cause} with {@code context} and the log's last lines, printed (the test's output file) and returned to throw. */
    AssertionError failure(String test, Throwable cause, String context) {
        String message = cause.getMessage() + context + "\n--- last lines of logs/gateway.log ---\n" + logTail(60);
        System.out.println(test + " failed: " + message);
        return new AssertionError(message, cause);
    }

    String log() {
        try {
            Path log = home.resolve("logs/gateway.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** [from, to] pairs as text (for assertion messages). */
    static String pairs(List<long[]> ranges) {
        return ranges.stream().limit(20).map(r -> "[" + r[0] + ", " + r[1] + "]").collect(Collectors.joining(", ", "[",
                ranges.size() > 20 ? ", ... " + ranges.size() + " ranges]" : "]"));
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + home + ": " + e);
        }
    }

}
