package site.gateway.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * The Debian package as site IT installs it (issue 14): {@code dpkg -i} on this machine, files, user and
 * modes checked, the gateway started as the service user the way {@code site-gateway.service} starts it
 * (its User=, Environment= and LoadCredential= read from the installed unit; without systemd when none
 * runs here), registered with the WMS sandbox over TLS with the key whose passphrase came from the
 * credential, looked at with {@code site-gateway} (gateway-ctl), reinstalled over an edited conffile,
 * and purged. Needs root and dpkg (CI runs as root); skipped with a message otherwise.
 */
public class DebianPackageIT {
    private static final String PACKAGE = "site-gateway";
    private static final Path HOME = Path.of("/var/lib/site-gateway");
    private static final Path ETC = Path.of("/etc/site-gateway");
    private static final Path LOGS = Path.of("/var/log/site-gateway");
    private static final Path UNIT = Path.of("/usr/lib/systemd/system/site-gateway.service");
    private static final Path CREDENTIAL_SOURCE = Path.of("/etc/credstore/site-gateway-key-passphrase");
    private static final Duration START = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void installsRunsAsTheServiceUserAndPurges() throws Exception {
        assumeTrue("DebianPackageIT skipped: needs root (dpkg -i, a system user); CI runs as root",
                "root".equals(System.getProperty("user.name")));
        assumeTrue("DebianPackageIT skipped: no dpkg or runuser on this machine",
                onPath("dpkg") && onPath("runuser"));
        Path deb = findDeb();
        assumeTrue("DebianPackageIT skipped: " + PACKAGE + " is already installed here; not touching it",
                run(List.of("dpkg-query", "-W", "-f=${Status}", PACKAGE)).output().contains("not-installed")
                        || run(List.of("dpkg-query", "-W", "-f=${Status}", PACKAGE)).exit() != 0);
        boolean credstoreExisted = Files.exists(CREDENTIAL_SOURCE.getParent());
        Path credentials = Files.createTempDirectory("site-gateway-credentials");
        Process gateway = null;
        try {
            expect(0, List.of("dpkg", "-i", deb.toString()));
            checkInstalledFiles();

            // Provisioning as docs/operations.md says: a development PKI written by the service user with
            // the package's command, the passphrase moved to systemd's credential store.
            expect(0, asServiceUser("/usr/bin/site-gateway", "pki", "dev"));
            DevPki pki = DevPki.load(HOME.resolve("certs")); // the sandbox's side of it
            Files.createDirectories(CREDENTIAL_SOURCE.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.copy(HOME.resolve("certs/gateway.pass"), CREDENTIAL_SOURCE);
            Files.setPosixFilePermissions(CREDENTIAL_SOURCE, PosixFilePermissions.fromString("rw-------"));
            Files.delete(HOME.resolve("certs/gateway.pass"));
            int consolePort = freePort();
            try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start()) {
                Files.writeString(ETC.resolve("gateway.wms.cfg"), "endpoints = " + wms.baseUrl() + "\nbackoffInitialMs = 200\nbackoffMaxMs = 2000\n");
                Files.writeString(ETC.resolve("org.apache.felix.http.cfg"),
                        "org.osgi.service.http.port = " + consolePort + "\norg.apache.felix.http.host = 127.0.0.1\n");
                expect(0, asServiceUser("/usr/bin/site-gateway", "config", "check"));

                // Readiness as the unit waits for it: nothing runs yet, so the wait fails at its limit.
                assertNotEquals("no gateway, not ready", 0, runAsTheUnitDoes(credentials, "/opt/site-gateway/bin/gateway-wait-ready 2").exit());
                long startedAt = System.nanoTime();
                gateway = startAsTheUnitDoes(credentials);
                Process running = gateway;
                // ExecStartPost as the unit runs it: returns once /system/health answers 200 (nothing critical).
                Result ready = runAsTheUnitDoes(credentials, unitSettings().get("ExecStartPost"));
                assertEquals("ExecStartPost said: " + ready.output() + "\nconsole output: " + tail(credentials.resolve("console.out")),
                        0, ready.exit());
                System.out.printf("DebianPackageIT: ExecStartPost (gateway-wait-ready) returned %d ms after ExecStart%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
                assertTrue("the gateway runs on once ready", running.isAlive());
                Await.until("the log says every gateway bundle is active", START, () -> {
                    assertTrue("the gateway runs (console output: " + tail(credentials.resolve("console.out")) + ")", running.isAlive());
                    return Files.exists(LOGS.resolve("gateway.log"))
                            && Files.readString(LOGS.resolve("gateway.log")).contains("gateway bundles are active");
                });
                wms.awaitRegistrations(1, START);
                Await.until("gateway-ctl status shows the WMS session connected", START, () -> {
                    Result status = run(asServiceUser("/usr/bin/site-gateway", "status", "--json"));
                    return status.exit() == 0 && JSON.readTree(status.output()).path("wmsSession").path("state").asText().equals("connected");
                });
                JsonNode status = JSON.readTree(expect(0, asServiceUser("/usr/bin/site-gateway", "status", "--json")));
                assertEquals("gw-01", status.path("gateway").path("gateway").asText());
                assertEquals("operational", status.path("gateway").path("state").asText());
                assertEquals("a running gateway holds its buffer", 3,
                        run(asServiceUser("/usr/bin/site-gateway", "buffer", "stats")).exit());

                // SIGTERM to the JVM, as systemctl stop sends it (runuser itself would re-raise a signal sent to it).
                gateway.children().forEach(ProcessHandle::destroy);
                assertTrue("the gateway stops on SIGTERM", gateway.waitFor(START.toSeconds(), TimeUnit.SECONDS));
                assertEquals("exit code 0 after SIGTERM (the unit's Restart=on-failure does not restart it)", 0, gateway.exitValue());
            }
            String log = Files.readString(LOGS.resolve("gateway.log"));
            assertFalse("a healthy start logs no ERROR:\n" + log, log.contains(" ERROR "));
            expect(0, asServiceUser("/usr/bin/site-gateway", "buffer", "stats"));
            expect(0, asServiceUser("/usr/bin/site-gateway", "audit", "verify"));
            assertTrue("the gateway wrote its state into the home", Files.isDirectory(HOME.resolve("data/buffer")));

            // Reinstall (an upgrade to the same version): the edited conffile stays, the state stays.
            String editedWms = Files.readString(ETC.resolve("gateway.wms.cfg"));
            Path consoleCfg = ETC.resolve("org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg");
            assertOwnerAndMode(consoleCfg, "rw-------"); // the gateway wrote the generated password's hash
            expect(0, List.of("dpkg", "-i", "--force-confold", deb.toString()));
            assertEquals("an edited conffile is kept", editedWms, Files.readString(ETC.resolve("gateway.wms.cfg")));
            assertOwnerAndMode(consoleCfg, "rw-------");
            assertTrue("the keys stay", Files.exists(HOME.resolve("certs/gateway.key")));

            // remove keeps state and configuration; purge removes them and the user.
            expect(0, List.of("dpkg", "--remove", PACKAGE));
            assertFalse(Files.exists(Path.of("/opt/site-gateway/bin/gateway")));
            assertTrue("remove keeps the buffer", Files.isDirectory(HOME.resolve("data/buffer")));
            assertTrue("remove keeps the configuration", Files.exists(ETC.resolve("gateway.wms.cfg")));
            expect(0, List.of("dpkg", "--purge", PACKAGE));
            for (Path gone : List.of(Path.of("/opt/site-gateway"), HOME, ETC, LOGS, UNIT, Path.of("/usr/bin/site-gateway"),
                    Path.of("/etc/default/site-gateway"))) {
                assertFalse("purge removes " + gone, Files.exists(gone, LinkOption.NOFOLLOW_LINKS));
            }
            assertEquals("purge removes the user", 2, run(List.of("getent", "passwd", PACKAGE)).exit());
            assertEquals("purge removes the group", 2, run(List.of("getent", "group", PACKAGE)).exit());
        } finally {
            if (gateway != null && gateway.isAlive()) {
                gateway.descendants().forEach(ProcessHandle::destroyForcibly); // the JVM under runuser
                gateway.destroyForcibly();
            }
            keepLog();
            run(List.of("dpkg", "--purge", PACKAGE));
            Files.deleteIfExists(CREDENTIAL_SOURCE);
            if (!credstoreExisted) {
                Files.deleteIfExists(CREDENTIAL_SOURCE.getParent());
            }
            deleteRecursively(credentials);
        }
    }

    private static void checkInstalledFiles() throws IOException, InterruptedException {
        String passwd = expect(0, List.of("getent", "passwd", PACKAGE)).strip();
        assertTrue("a system user with the home and no login: " + passwd, passwd.endsWith(":/var/lib/site-gateway:/usr/sbin/nologin"));
        int uid = Integer.parseInt(passwd.split(":")[2]);
        assertTrue("a system uid: " + uid, uid < 1000);

        assertTrue(Files.isExecutable(Path.of("/opt/site-gateway/bin/gateway")));
        assertTrue(Files.isExecutable(Path.of("/opt/site-gateway/bin/gateway-ctl")));
        assertEquals(Path.of("/opt/site-gateway/bin/gateway-ctl"), Files.readSymbolicLink(Path.of("/usr/bin/site-gateway")));
        assertEquals(ETC, Files.readSymbolicLink(HOME.resolve("conf")));
        assertEquals(LOGS, Files.readSymbolicLink(HOME.resolve("logs")));
        assertEquals("/var/lib/site-gateway", Files.readString(Path.of("/opt/site-gateway/etc/gateway-home")).strip());
        for (Path dir : List.of(HOME, HOME.resolve("data"), HOME.resolve("certs"), HOME.resolve("deploy"), ETC, LOGS)) {
            assertOwnerAndMode(dir, "rwxr-x---");
        }
        try (Stream<Path> cfgs = Files.list(ETC)) {
            for (Path cfg : cfgs.toList()) {
                assertOwnerAndMode(cfg, "rw-r-----");
            }
        }
        try (Stream<Path> jars = Files.list(Path.of("/opt/site-gateway/deploy"))) {
            for (Path jar : jars.toList()) {
                assertTrue("the package's bundles are in the home's deploy/: " + jar.getFileName(),
                        Files.exists(HOME.resolve("deploy").resolve(jar.getFileName())));
            }
        }
        String conffiles = expect(0, List.of("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE));
        for (String cfg : List.of("gateway.wms.cfg", "gateway.identity.cfg", "gateway.crypto.cfg")) {
            assertTrue(cfg + " is a conffile: " + conffiles, conffiles.contains("/etc/site-gateway/" + cfg));
        }
        assertTrue("the package's crypto conf takes the passphrase from the credential",
                Files.readString(ETC.resolve("gateway.crypto.cfg")).contains("keyPassphraseFile = credential:gateway-key-passphrase"));
        String unit = Files.readString(UNIT);
        for (String line : List.of("User=site-gateway", "ProtectSystem=strict", "NoNewPrivileges=true", "PrivateTmp=true",
                "ReadWritePaths=/var/lib/site-gateway /var/log/site-gateway /etc/site-gateway", "Restart=on-failure",
                "LoadCredential=gateway-key-passphrase:" + CREDENTIAL_SOURCE, "ExecStart=/opt/site-gateway/bin/gateway",
                "Type=exec", "ExecStartPost=/opt/site-gateway/bin/gateway-wait-ready 120")) {
            assertTrue("the unit has " + line, unit.lines().anyMatch(line::equals));
        }
        assertTrue(Files.isExecutable(Path.of("/opt/site-gateway/bin/gateway-wait-ready")));
        long startTimeout = Long.parseLong(unitSettings().get("TimeoutStartSec"));
        assertTrue("TimeoutStartSec (" + startTimeout + ") above the readiness wait's 120 s", startTimeout > 120);
        if (onPath("systemd-analyze")) {
            Result verify = run(List.of("systemd-analyze", "verify", UNIT.toString()));
            assertEquals("systemd-analyze verify: " + verify.output(), 0, verify.exit());
        }
    }

    /**
     * bin/gateway as the unit runs it, without systemd: as User=, with Environment= (and the
     * EnvironmentFile's variables, none set by default), UMask=, and LoadCredential='s file in a private
     * CREDENTIALS_DIRECTORY readable by the service user only, as systemd prepares it.
     */
    private static Process startAsTheUnitDoes(Path credentials) throws IOException {
        Map<String, String> unit = unitSettings();
        String[] credential = unit.get("LoadCredential").split(":", 2);
        Path dir = Files.createDirectories(credentials.resolve("creds"));
        Files.copy(Path.of(credential[1]), dir.resolve(credential[0]));
        run(List.of("chown", "-R", unit.get("User") + ":" + unit.get("Group"), dir.toString()));
        Files.setPosixFilePermissions(dir.resolve(credential[0]), PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rwx--x--x"));
        return new ProcessBuilder(asTheUnit(unit, dir, unit.get("ExecStart"))).directory(new File("/")).redirectErrorStream(true)
                .redirectOutput(credentials.resolve("console.out").toFile()).start();
    }

    /** Another command line of the unit (ExecStartPost=) in the same user and environment as ExecStart. */
    private static Result runAsTheUnitDoes(Path credentials, String commandLine) throws IOException {
        return run(asTheUnit(unitSettings(), credentials.resolve("creds"), commandLine));
    }

    private static List<String> asTheUnit(Map<String, String> unit, Path credentialsDirectory, String commandLine) {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", unit.get("User"), "--", "env", "-i",
                "PATH=/usr/local/bin:/usr/bin:/bin", "CREDENTIALS_DIRECTORY=" + credentialsDirectory));
        command.addAll(List.of(unit.get("Environment").split(" ")));
        command.addAll(List.of("sh", "-c", "umask " + unit.get("UMask") + " && exec " + commandLine));
        return command;
    }

    private static Map<String, String> unitSettings() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        Pattern setting = Pattern.compile("^([A-Za-z]+)=(.*)$");
        for (String line : Files.readAllLines(UNIT)) {
            Matcher m = setting.matcher(line);
            if (m.matches()) {
                settings.merge(m.group(1), m.group(2), (a, b) -> a + " " + b);
            }
        }
        return settings;
    }

    private static void assertOwnerAndMode(Path path, String mode) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(path + " owner", PACKAGE, attributes.owner().getName());
        assertEquals(path + " group", PACKAGE, attributes.group().getName());
        assertEquals(path + " mode", mode, PosixFilePermissions.toString(attributes.permissions()));
    }

    private static List<String> asServiceUser(String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", PACKAGE, "--"));
        full.addAll(List.of(command));
        return full;
    }

    private static Path findDeb() throws IOException {
        Path target = GatewayOptions.DIST.getParent();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> debs = files.filter(p -> p.getFileName().toString().matches("site-gateway_.*_all\\.deb")).sorted().toList();
            assertFalse("mvn install builds " + target + "/site-gateway_<version>_all.deb", debs.isEmpty());
            return debs.get(debs.size() - 1);
        }
    }

    record Result(int exit, String output) {
    }

    private static String expect(int exit, List<String> command) throws IOException, InterruptedException {
        Result result = run(command);
        assertEquals(String.join(" ", command) + " said:\n" + result.output(), exit, result.exit());
        return result.output();
    }

    private static Result run(List<String> command) {
        try {
            Path out = Files.createTempFile("debian-package-it", ".out");
            try {
                Process p = new ProcessBuilder(command).directory(new File("/")).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out: " + command);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)))
                || Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/sbin", program));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    private static void keepLog() {
        try {
            if (Files.exists(LOGS.resolve("gateway.log"))) {
                Path reports = Files.createDirectories(Path.of("target/failsafe-reports"));
                Files.copy(LOGS.resolve("gateway.log"), reports.resolve("DebianPackageIT-gateway.log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("DebianPackageIT: could not keep the log: " + e);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("DebianPackageIT: could not delete " + folder + ": " + e);
        }
    }
}
