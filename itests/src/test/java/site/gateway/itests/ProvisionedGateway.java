package site.gateway.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The assembled distribution started with {@code bin/gateway}, like {@link GatewayProcess}, but on a
 * GATEWAY_HOME the test provisions first (certificates in {@code certs/}, its own {@code .cfg} files on
 * top of the distribution's defaults), so the gateway's first start is already the configured one.
 */
public final class ProvisionedGateway implements AutoCloseable {
    private final Path home;
    private final Process process;

    private ProvisionedGateway(Path home, Process process) {
        this.home = home;
        this.process = process;
    }

    /**
     * Copies the distribution's {@code conf/} into {@code home/conf}, then writes {@code cfgFiles}
     * (file name → content) over it, moves the web console to a free loopback port and starts
     * {@code bin/gateway}. Whatever the caller put into {@code home} beforehand (certs/, data/) stays.
     */
    public static ProvisionedGateway start(Path home, Map<String, String> cfgFiles) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        try (Stream<Path> defaults = Files.list(GatewayOptions.DIST.resolve("conf"))) {
            for (Path file : defaults.filter(Files::isRegularFile).toList()) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
        for (Map.Entry<String, String> cfg : cfgFiles.entrySet()) {
            Files.writeString(conf.resolve(cfg.getKey()), cfg.getValue(), StandardCharsets.UTF_8);
        }
        int consolePort = freePort();
        Files.writeString(conf.resolve("org.apache.felix.http.cfg"),
                "org.osgi.service.http.port = " + consolePort + "\norg.apache.felix.http.host = 127.0.0.1\n");
        ProcessBuilder builder = new ProcessBuilder(GatewayOptions.DIST.resolve("bin/gateway").toString())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.out").toFile());
        builder.environment().put("GATEWAY_HOME", home.toString());
        builder.environment().put("GATEWAY_OPTS", "-Dorg.osgi.service.http.port=" + consolePort);
        return new ProvisionedGateway(home, builder.start());
    }

    /**
     * Starts {@code bin/gateway} again on a home {@link #start} provisioned (after a crash or a stop), as an
     * operator restarts it: configuration and state as they are, the console on a new free port.
     */
    public static ProvisionedGateway restart(Path home) throws IOException {
        int consolePort = freePort();
        Files.writeString(home.resolve("conf/org.apache.felix.http.cfg"),
                "org.osgi.service.http.port = " + consolePort + "\norg.apache.felix.http.host = 127.0.0.1\n");
        ProcessBuilder builder = new ProcessBuilder(GatewayOptions.DIST.resolve("bin/gateway").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.out").toFile()));
        builder.environment().put("GATEWAY_HOME", home.toString());
        builder.environment().put("GATEWAY_OPTS", "-Dorg.osgi.service.http.port=" + consolePort);
        return new ProvisionedGateway(home, builder.start());
    }

    /** SIGKILL (bin/gateway execs the JVM, so this is the JVM), then waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the gateway did not die within 30 s of SIGKILL");
        }
    }

    public Path home() {
        return home;
    }

    public Process process() {
        return process;
    }

    /** {@code logs/gateway.log} as it is now (empty if not written yet). */
    public String log() {
        try {
            Path log = home.resolve("logs/gateway.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read logs/gateway.log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS); // before the caller deletes the home
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
