package site.gateway.heartbeat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Machine and JVM figures for heartbeats. CPU loads come from the platform OperatingSystem MXBean
 * ({@code CpuLoad}, {@code ProcessCpuLoad}: averages since the previous call, 0..1 of all cores),
 * read as MBean attributes so that the bundle needs no {@code com.sun.management} import. Resident
 * memory comes from {@code /proc/self/status} (0 where there is none).
 */
final class SystemMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(SystemMetrics.class);
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    /** One reading; percentages 0..100 of the whole machine. */
    record Sample(double cpuPercent, double processCpuPercent, long memoryUsedBytes, long memoryMaxBytes,
            long rssBytes) {
    }

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName os;
    private boolean warned;

    SystemMetrics() {
        ObjectName name = null;
        try {
            name = new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
        } catch (javax.management.MalformedObjectNameException e) {
            LOG.warn("No OperatingSystem MXBean name: CPU figures will be 0", e);
        }
        os = name;
        sample(); // the first CPU reading of the JVM covers no interval
    }

    synchronized Sample sample() {
        double cpu = percent(load("CpuLoad", "SystemCpuLoad"));
        double process = percent(load("ProcessCpuLoad", null));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        return new Sample(cpu, process, heap.getUsed(), max, residentBytes());
    }

    private double load(String attribute, String fallback) {
        if (os == null) {
            return 0;
        }
        try {
            Object value = server.getAttribute(os, attribute);
            return value instanceof Number n ? n.doubleValue() : 0;
        } catch (Exception e) {
            if (fallback != null) {
                return load(fallback, null);
            }
            if (!warned) {
                warned = true;
                LOG.warn("CPU load attribute {} unavailable ({}): reported as 0", attribute, e.toString());
            }
            return 0;
        }
    }

    /** 0..1 to 0..100 with one decimal; the JVM answers a negative value when it has none. */
    private static double percent(double load) {
        if (Double.isNaN(load) || load < 0) {
            return 0;
        }
        return Math.round(Math.min(load, 1.0) * 1000) / 10.0;
    }

    static long residentBytes() {
        try {
            return parseVmRss(Files.readAllLines(PROC_STATUS));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The {@code VmRSS:  123456 kB} line in bytes, 0 if absent. */
    static long parseVmRss(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return 0;
    }
}
