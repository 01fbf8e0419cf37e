package site.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real distribution ({@code runtime/target/gateway}) as a process on a fresh GATEWAY_HOME, and what the
 * harnesses read from outside it: resident set, CPU time, heap after a full GC, the buffer's message count
 * (from the web console). Shared by {@link MemoryHarness} and {@link EndToEndHarness}. Run from the
 * repository root (or set {@code -Dgateway.root}).
 */
final class DistributionRig {
    static final String TENANT = "demo-tenant";
    static final String GATEWAY = "gw-01";
    private static final Pattern BUFFERED = Pattern.compile("Messages</th><td>(\\d+)</td>");
    /** Only bounds a hang; the phases end on conditions. */
    static final Duration PATIENCE = Duration.ofMinutes(40);

    final Path root = Path.of(System.getProperty("gateway.root", ".")).toAbsolutePath().normalize();
    final Path dist = root.resolve("runtime/target/gateway");
    final Path sandboxJar = root.resolve("tools/wms-sandbox/target/wms-sandbox.jar");
    private final int consolePort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DistributionRig(int consolePort) {
        this.consolePort = consolePort;
    }

    /** Exits with a hint when the distribution or the sandbox jar is not built. */
    void requireBuilt() {
        if (!Files.isExecutable(dist.resolve("bin/gateway")) || !Files.isRegularFile(sandboxJar)) {
            System.err.println("Build first (mvn -B -ntp -DskipTests install) and run from the repository root");
            System.exit(1);
        }
    }

    /** A development PKI for {@value #TENANT}/{@value #GATEWAY} in {@code home/certs}, written by the sandbox's CLI. */
    void writePki(Path home) throws Exception {
        exec(List.of("java", "-jar", sandboxJar.toString(), "pki", "--out", home.resolve("certs").toString(),
                "--tenant", TENANT, "--gateway", GATEWAY));
    }

    /** The distribution's {@code conf/}, the WMS at {@code localhost:wmsPort}, the console on this rig's port. */
    void writeConf(Path home, int wmsPort) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        try (var cfgs = Files.newDirectoryStream(dist.resolve("conf"), "*.cfg")) {
            for (Path cfg : cfgs) {
                Files.copy(cfg, home.resolve("conf").resolve(cfg.getFileName()));
            }
        }
        Path wms = home.resolve("conf/gateway.wms.cfg");
        Files.writeString(wms, Files.readString(wms).replaceAll("(?m)^endpoints *=.*$", "endpoints = https://localhost:" + wmsPort));
        Files.writeString(home.resolve("conf/org.apache.felix.http.cfg"), "org.osgi.service.http.port = " + consolePort + "\n");
    }

    /**
     * {@code bin/gateway} on {@code home}. {@code jvmDefaults}: null = the shipped defaults, "" = the JVM's own
     * (as before the shipped defaults), anything else replaces them (with glibc's arenas limited as
     * {@code bin/gateway} does).
     */
    Process startGateway(Path home, String jvmDefaults) throws IOException {
        ProcessBuilder start = new ProcessBuilder(dist.resolve("bin/gateway").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("gateway.out").toFile());
        start.environment().put("GATEWAY_HOME", home.toString());
        start.environment().remove("GATEWAY_OPTS");
        start.environment().remove("GATEWAY_JVM_DEFAULTS");
        start.environment().remove("MALLOC_ARENA_MAX");
        if (jvmDefaults != null) {
            start.environment().put("GATEWAY_JVM_DEFAULTS", jvmDefaults);
            if (!jvmDefaults.isEmpty()) {
                start.environment().put("MALLOC_ARENA_MAX", "2");
            }
        }
        return start.start();
    }

    /** {@code count} simulated PLCs with {@code tags} tags each, polled every {@code pollMs}, as {@code conf/gateway.plc-<name>N.cfg}. */
    void writePlcs(Path home, String name, int count, int pollMs, int tags) throws IOException {
        StringBuilder tagList = new StringBuilder();
        for (int t = 1; t <= tags; t++) {
            tagList.append(t > 1 ? ", " : "").append("t").append(t).append("=RANDOM/t").append(t).append(t % 3 == 0 ? ":BOOL" : ":REAL");
        }
        for (int i = 1; i <= count; i++) {
            String cfg = "plcId = " + name + "-" + i + "\nconnection = simulated://" + name + i + "\npollIntervalMs = " + pollMs
                    + "\ntags = " + tagList + "\n";
            Path tmp = home.resolve(name + i + ".tmp");
            Files.writeString(tmp, cfg);
            Files.move(tmp, home.resolve("conf/gateway.plc-" + name + i + ".cfg")); // whole files only for FileInstall
        }
    }

    static void removePlcs(Path home, String name) throws IOException {
        try (var cfgs = Files.newDirectoryStream(home.resolve("conf"), "gateway.plc-" + name + "*.cfg")) {
            for (Path cfg : cfgs) {
                Files.delete(cfg);
            }
        }
    }

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** User + system CPU seconds of the process so far, from {@code /proc/<pid>/stat} (clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /** Heap in use after a full GC: survivors + eden + old of {@code jstat -gc} (works for every collector). */
    static double heapAfterGcMb(long pid) throws Exception {
        exec(List.of("jcmd", String.valueOf(pid), "GC.run"));
        String[] lines = exec(List.of("jstat", "-gc", String.valueOf(pid))).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return kb / 1024;
    }

    /** Messages in the gateway's buffer, from its web console's Gateway page. */
    long buffered(Path home) throws Exception {
        String password = Files.readAllLines(home.resolve("data/console-initial-password")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow().trim();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + "/system/console/gateway"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30)).build();
        Matcher m = BUFFERED.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        if (!m.find()) {
            throw new IOException("no buffer figures on the console page");
        }
        return Long.parseLong(m.group(1));
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitCondition(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    static String exec(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }

    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
