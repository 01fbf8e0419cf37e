package site.gateway.plc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.modbus.tcp.ModbusTcpDriver;
import org.apache.plc4x.java.opcua.OpcuaPlcDriver;
import org.osgi.util.converter.Converters;

import site.gateway.api.outbox.MessageType;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.outbox.OutboxEntry;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.outbox.SeqRange;
import site.gateway.plc.modbus.ModbusDriver;
import site.gateway.plc.s7.S7Driver;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.RecordingAlerts;
import site.gateway.testsupport.RecordingAudit;
import site.gateway.testsupport.RecordingStatus;

/**
 * The issue-15 performance bar, measured (never asserted): per driver, N PLCs × M tags polled every P ms by
 * the real plc bundle on the real driver, against that driver's test server in a child process
 * ({@link PlcBenchServers}), so this JVM's CPU time is the gateway's. Prints, per driver, the poll-interval
 * p50/p99 over every PLC, the read latency p50/p99 and this process's CPU as % of one core.
 *
 * <pre>
 * mvn -B -q install -pl tools/bench -am -DskipTests
 * java -cp tools/bench/target/benchmarks.jar site.gateway.plc.PlcPollHarness [drivers=modbus,s7,opcua] [plcs=10] [tags=20] [pollMs=100] [seconds=60] [warmupSeconds=60] [profile=out-prefix]
 * </pre>
 * {@code modbus} is the gateway's Modbus driver (bundles/plc-modbus), {@code modbus-plc4x} PLC4X 0.13.1's, against the
 * same j2mod server; {@code s7} the gateway's S7 driver (bundles/plc-s7), {@code s7-plc4x} PLC4X 0.13.1's, against
 * snap7's server; {@code opcua} the gateway's OPC UA driver (bundles/plc-opcua, Milo's client), {@code opcua-plc4x}
 * PLC4X 0.13.1's, against Milo's server; {@code opcua-secure} and {@code opcua-secure-plc4x} the same with security policy
 * Basic256Sha256 and SignAndEncrypt: run one harness with each at the same time to compare them under the same load.
 */
public final class PlcPollHarness {
    /** async-profiler output prefix ("" = none); the measured window only, one file per driver. */
    private static String profile = "";

    private PlcPollHarness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("drivers", "modbus,s7,opcua", "plcs", "10", "tags", "20",
                "pollMs", "100", "seconds", "60", "warmupSeconds", "60", "profile", ""));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int plcs = Integer.parseInt(options.get("plcs"));
        int tags = Integer.parseInt(options.get("tags"));
        long pollMs = Long.parseLong(options.get("pollMs"));
        int seconds = Integer.parseInt(options.get("seconds"));
        int warmup = Integer.parseInt(options.get("warmupSeconds"));
        System.out.printf("PlcPollHarness: %d PLCs x %d tags every %d ms, %d s measured after %d s warm-up, %d cores%n",
                plcs, tags, pollMs, seconds, warmup, Runtime.getRuntime().availableProcessors());
        profile = options.get("profile");
        for (String driver : options.get("drivers").split(",")) {
            run(driver.trim(), plcs, tags, pollMs, seconds, warmup);
        }
        System.exit(0);
    }

    private static void run(String driver, int plcs, int tags, long pollMs, int seconds, int warmup) throws Exception {
        Process servers = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), PlcBenchServers.class.getName(), protocol(driver), String.valueOf(tags))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(servers.getInputStream(), StandardCharsets.UTF_8));
            String connection = null;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("CONNECTION ")) {
                    connection = line.substring("CONNECTION ".length());
                    break;
                }
            }
            if (connection == null) {
                throw new IllegalStateException("the " + driver + " server did not start");
            }
            measure(driver, connection, plcs, tags, pollMs, seconds, warmup);
        } finally {
            servers.getOutputStream().close();
            if (!servers.waitFor(30, TimeUnit.SECONDS)) {
                servers.destroyForcibly();
            }
        }
    }

    private static void measure(String driver, String connection, int plcs, int tags, long pollMs, int seconds, int warmup)
            throws InterruptedException {
        CountingOutbox outbox = new CountingOutbox();
        List<PlcComponent> components = new ArrayList<>();
        for (int p = 0; p < plcs; p++) {
            PlcComponent component = new PlcComponent(new FixedIdentity("acme", "gw-bench"), outbox, new RecordingAlerts(),
                    new RecordingStatus(), new RecordingAudit());
            PlcDriver plcDriver = newDriver(driver);
            component.addDriver(plcDriver, Map.of(DriverServices.DRIVER_CODE, plcDriver.getProtocolCode()), plcDriver);
            Map<String, Object> config = new HashMap<>();
            config.put("plcId", driver + "-" + p);
            config.put("connection", connection);
            config.put("pollIntervalMs", String.valueOf(pollMs));
            config.put("requestTimeoutMs", "3000");
            config.put("tags", tagList(driver, tags));
            component.activate(null, Converters.standardConverter().convert(config).to(PlcConfig.class), config);
            components.add(component);
        }
        try {
            TimeUnit.SECONDS.sleep(warmup); // a harness, not a test: it measures over wall-clock time
            for (PlcComponent c : components) {
                c.engine().pollIntervals().clear();
                c.engine().readLatency().clear();
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            Profiler profiler = Profiler.start(profile, driver);
            long[] userSys0 = userSysTicks();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long messages0 = outbox.appended.get();
            Map<String, Long> threads0 = cpuByThreadFamily();
            TimeUnit.SECONDS.sleep(seconds);
            Map<String, Long> threads1 = cpuByThreadFamily();
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            long[] userSys1 = userSysTicks();
            profiler.stop();
            long messages = outbox.appended.get() - messages0;

            double[] p50 = new double[plcs];
            double[] p99 = new double[plcs];
            double[] lat50 = new double[plcs];
            double[] lat99 = new double[plcs];
            long connected = 0;
            for (int i = 0; i < plcs; i++) {
                PlcEngine e = components.get(i).engine();
                p50[i] = e.pollIntervals().percentileMs(50);
                p99[i] = e.pollIntervals().percentileMs(99);
                lat50[i] = e.readLatency().percentileMs(50);
                lat99[i] = e.readLatency().percentileMs(99);
                connected += e.status().state() == site.gateway.api.plc.PlcState.CONNECTED ? 1 : 0;
            }
            Arrays.sort(p50);
            Arrays.sort(p99);
            Arrays.sort(lat50);
            Arrays.sort(lat99);
            System.out.printf("%-12s connected %d/%d | poll interval p50 %.1f ms (median PLC), p99 %.1f ms (median PLC) / %.1f ms (worst PLC)"
                    + " | read latency p50 %.2f ms, p99 %.2f ms (median PLC) | CPU %.1f %% of one core | %d telemetry messages/s%n",
                    driver, connected, plcs, p50[plcs / 2], p99[plcs / 2], p99[plcs - 1], lat50[plcs / 2], lat99[plcs / 2],
                    100.0 * cpu / wall, messages * 1_000_000_000L / wall);
            // Where the CPU went: Java threads by family; the rest is the JVM's own (GC, JIT).
            StringBuilder profile = new StringBuilder("        CPU by thread family (% of one core):");
            long javaThreads = 0;
            List<Map.Entry<String, Long>> families = new ArrayList<>();
            for (Map.Entry<String, Long> f : threads1.entrySet()) {
                long used = f.getValue() - threads0.getOrDefault(f.getKey(), 0L);
                javaThreads += used;
                families.add(Map.entry(f.getKey(), used));
            }
            families.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            for (Map.Entry<String, Long> f : families.subList(0, Math.min(6, families.size()))) {
                profile.append(String.format(" %s %.1f,", f.getKey(), 100.0 * f.getValue() / wall));
            }
            profile.append(String.format(" JVM (GC, JIT, other) %.1f", 100.0 * (cpu - javaThreads) / wall));
            System.out.println(profile);
            double tick = 1e9 / 100; // USER_HZ
            System.out.printf("        of which in user space %.1f, in the kernel %.1f (%% of one core, from /proc/self/stat)%n",
                    100.0 * (userSys1[0] - userSys0[0]) * tick / wall, 100.0 * (userSys1[1] - userSys0[1]) * tick / wall);
        } finally {
            components.forEach(PlcComponent::deactivate);
        }
    }

    /** This process's user and system CPU ticks (USER_HZ) from /proc/self/stat; zeros where there is none. */
    private static long[] userSysTicks() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (java.io.IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /**
     * async-profiler (Maven Central {@code tools.profiler:async-profiler}, linux-x64 jar on the class path),
     * started by reflection over the measured window only; CPU samples with thread names, collapsed stacks.
     */
    private record Profiler(Object instance, String file) {
        static Profiler start(String prefix, String driver) {
            if (prefix.isEmpty()) {
                return new Profiler(null, null);
            }
            try {
                Class<?> type = Class.forName("one.profiler.AsyncProfiler");
                Object instance = type.getMethod("getInstance").invoke(null);
                type.getMethod("execute", String.class).invoke(instance, "start,event=cpu,interval=1ms,threads");
                return new Profiler(instance, prefix + "-" + driver + ".collapsed");
            } catch (ReflectiveOperationException | LinkageError e) {
                System.out.println("        no profile: " + e);
                return new Profiler(null, null);
            }
        }

        void stop() {
            if (instance == null) {
                return;
            }
            try {
                instance.getClass().getMethod("execute", String.class).invoke(instance, "stop,collapsed,file=" + file);
                System.out.println("        profile (collapsed stacks): " + file);
            } catch (ReflectiveOperationException e) {
                System.out.println("        profile not written: " + e);
            }
        }
    }

    /** CPU time (ns) of live threads, summed by name without numbers (threads that ended are not counted). */
    private static Map<String, Long> cpuByThreadFamily() {
        var bean = ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long used = bean.getThreadCpuTime(t.getId());
            if (used > 0) {
                out.merge(t.getName().replaceAll("(?<=[-(])[0-9]+", "#"), used, Long::sum);
            }
        }
        return out;
    }

    /** The test server a driver talks to: both Modbus drivers use the j2mod server, both S7 drivers snap7's, both OPC UA drivers Milo's. */
    private static String protocol(String driver) {
        return driver.endsWith("-plc4x") ? driver.substring(0, driver.length() - "-plc4x".length()) : driver;
    }

    private static PlcDriver newDriver(String driver) {
        return switch (driver) {
            case "modbus" -> new ModbusDriver();
            case "modbus-plc4x" -> new ModbusTcpDriver();
            case "s7" -> new S7Driver();
            case "s7-plc4x" -> new org.apache.plc4x.java.s7.readwrite.S7Driver();
            case "opcua", "opcua-secure" -> new site.gateway.plc.opcua.OpcuaDriver();
            case "opcua-plc4x", "opcua-secure-plc4x" -> new OpcuaPlcDriver();
            default -> throw new IllegalArgumentException(driver);
        };
    }

    private static String tagList(String driver, int tags) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < tags; i++) {
            String address = switch (protocol(driver)) {
                case "modbus" -> "holding-register:" + (i + 1) + ":INT";
                case "s7" -> "%DB1.DBW" + (2 * i) + ":INT";
                case "opcua", "opcua-secure" -> "ns=2;s=v" + i + ";INT";
                default -> throw new IllegalArgumentException(driver);
            };
            list.add("t" + i + "=" + address);
        }
        return String.join(",", list);
    }

    /** Counts telemetry and keeps nothing: the harness measures the PLC layer, not a store. */
    private static final class CountingOutbox implements Outbox {
        final AtomicLong appended = new AtomicLong();

        @Override
        public long append(MessageType type, byte[] json) {
            return appended.incrementAndGet();
        }

        @Override
        public List<OutboxEntry> read(long fromSeq, int maxItems) {
            return List.of();
        }

        @Override
        public void acknowledge(long upTo) {
        }

        @Override
        public long lastAckedSeq() {
            return appended.get();
        }

        @Override
        public long nextSeq() {
            return appended.get() + 1;
        }

        @Override
        public List<SeqRange> droppedRanges() {
            return List.of();
        }

        @Override
        public OutboxStats stats() {
            return null;
        }
    }
}
