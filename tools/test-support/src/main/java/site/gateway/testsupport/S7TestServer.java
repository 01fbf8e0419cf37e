package site.gateway.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real S7 protocol server: snap7's server (through the npm package node-snap7, {@code tools/s7-server})
 * in a child process on 127.0.0.1, with DB areas the test declares. The test reads and writes the DBs as the
 * PLC program would, and can stop and restart the server (clients are dropped, DB contents kept).
 * {@link #unavailableReason()} says why it cannot run here (no node, no build) so tests can skip clearly.
 */
public final class S7TestServer implements AutoCloseable {
    private static final long ANSWER_SECONDS = 60; // bounds a hang only

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final StringBuilder errors = new StringBuilder();
    private final int port;

    /** Starts a server with the DBs given as number → size in bytes. */
    public S7TestServer(Map<Integer, Integer> dbs) throws IOException {
        Path dir = serverDir();
        String reason = unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        port = freePort();
        List<String> command = new ArrayList<>(List.of("node", dir.resolve("server.js").toString(), "--port", String.valueOf(port)));
        dbs.forEach((number, size) -> command.addAll(List.of("--db", number + ":" + size)));
        process = new ProcessBuilder(command).directory(dir.toFile()).start();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true), "s7-server-out");
        Thread err = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false), "s7-server-err");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        String ready = answer();
        if (!ready.startsWith("READY")) {
            close();
            throw new IOException("S7 server did not start: " + ready);
        }
    }

    /** Null when the server can run here; otherwise why not (for a test's skip message). */
    public static String unavailableReason() {
        Path dir = serverDir();
        if (dir == null) {
            return "tools/s7-server not found above " + Path.of("").toAbsolutePath();
        }
        if (!onPath("node")) {
            return "node is not installed: the S7 tests need Node.js to run snap7's server (.ci/run installs it)";
        }
        if (!Files.exists(dir.resolve("node_modules/node-snap7/build/Release/node_snap7.node"))) {
            String built = build(dir);
            if (built != null) {
                return built;
            }
        }
        return null;
    }

    /** PLC4X connection string to this server (an S7-300 CPU in rack 0, slot 2 as snap7 answers). */
    public String connection() {
        return "s7://127.0.0.1:" + port + "?controller-type=S7_300";
    }

    public int port() {
        return port;
    }

    /** Writes bytes into a DB, as the PLC program would. */
    public void set(int db, int offset, byte[] bytes) {
        expect("SET " + db + " " + offset + " " + HexFormat.of().formatHex(bytes), "OK");
    }

    /** Bytes of a DB, to check what a client wrote. */
    public byte[] get(int db, int offset, int length) {
        String answer = expect("GET " + db + " " + offset + " " + length, "HEX");
        return HexFormat.of().parseHex(answer.substring(4).trim());
    }

    /** The PLC goes away: no listener, every client dropped. */
    public void stop() {
        expect("STOP", "STOPPED");
    }

    public void start() {
        expect("START", "STARTED");
    }

    public int clients() {
        return Integer.parseInt(expect("CLIENTS", "CLIENTS").substring(8).trim());
    }

    @Override
    public void close() {
        try {
            commands.close(); // the server exits when stdin closes
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private synchronized String expect(String command, String prefix) {
        try {
            commands.write(command + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException("S7 server gone: " + errors, e);
        }
        String answer = answer();
        if (!answer.startsWith(prefix)) {
            throw new IllegalStateException("S7 server answered '" + answer + "' to " + command);
        }
        return answer;
    }

    private String answer() {
        try {
            String line = answers.poll(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("S7 server did not answer; stderr: " + errors);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void pump(BufferedReader reader, boolean isAnswer) {
        try (reader) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (isAnswer) {
                    answers.add(line);
                } else {
                    synchronized (errors) {
                        errors.append(line).append('\n');
                    }
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
        if (isAnswer) {
            answers.add("EXITED " + errors);
        }
    }

    private static Path serverDir() {
        String configured = System.getProperty("s7.server.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools/s7-server");
            if (Files.exists(candidate.resolve("server.js"))) {
                return candidate;
            }
        }
        return null;
    }

    /** Builds node-snap7 once (tools/s7-server/build.sh); null on success, else why it failed. */
    private static synchronized String build(Path dir) {
        if (Files.exists(dir.resolve("node_modules/node-snap7/build/Release/node_snap7.node"))) {
            return null;
        }
        if (!onPath("npm")) {
            return "tools/s7-server is not built and npm is missing: run tools/s7-server/build.sh";
        }
        try {
            Process build = new ProcessBuilder("bash", dir.resolve("build.sh").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("build.log").toFile()).start();
            if (!build.waitFor(15, TimeUnit.MINUTES) || build.exitValue() != 0) {
                build.destroyForcibly();
                return "tools/s7-server/build.sh failed, see tools/s7-server/build.log";
            }
            return null;
        } catch (IOException e) {
            return "tools/s7-server/build.sh could not run: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while building tools/s7-server";
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
