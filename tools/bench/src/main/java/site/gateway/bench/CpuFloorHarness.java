package site.gateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import site.gateway.sandbox.pki.DevPki;
import site.gateway.storage.FullPolicy;
import site.gateway.storage.Limits;
import site.gateway.storage.MVStores;

/**
 * Issue 16.1's floor: what a telemetry message costs on this machine with no gateway around it. One thread, every
 * {@code periodMs}: a Modbus read of three holding registers over TCP (a plain socket, function 3), the telemetry
 * JSON written with Jackson, one MVStore put, commit and fsync (the buffer's own {@link MVStores} tuning), and one
 * batch frame of that message over Jetty 12's TLS 1.3 WebSocket client with permessage-deflate, set up as the
 * gateway's transport does; acknowledged entries are removed without a commit of their own, as in the buffer. No
 * OSGi, no configuration, no audit, no metrics, no heartbeat. Prints this process's CPU over the window (after the
 * warm-up) as a share of one core, the figure {@code tools/cpu-load.sh} prints for the gateway.
 *
 * <p>Usage: {@code CpuFloorHarness certsDir wmsBaseUrl modbusHost:port periodMs warmupSeconds seconds}, where the
 * certificates are the sandbox's {@code pki} folder (a gateway certificate {@code floor-01} is issued from its CA).
 */
public final class CpuFloorHarness {
    private static final String GATEWAY_ID = "floor-01";

    private final Socket modbus;
    private final DataInputStream modbusIn;
    private final OutputStream modbusOut;
    private final MVStore store;
    private final MVMap<Long, byte[]> queue;
    private final JsonFactory json = new JsonFactory();
    private final BareWebSocketCeiling wms;
    private final CeilingLink link;
    private final String tenantId;
    private long nextSeq = 1;
    private long removedUpTo;
    private int transaction;

    private CpuFloorHarness(DevPki pki, String baseUrl, InetSocketAddress plc, Path storeFile) throws Exception {
        tenantId = pki.tenantId();
        modbus = new Socket();
        modbus.setTcpNoDelay(true);
        modbus.connect(plc, 5_000);
        modbus.setSoTimeout(5_000);
        modbusIn = new DataInputStream(modbus.getInputStream());
        modbusOut = modbus.getOutputStream();
        store = MVStores.open(storeFile, new Limits(256L * 1024 * 1024, FullPolicy.DROP_OLDEST, 10));
        queue = store.openMap("floor");
        wms = new BareWebSocketCeiling(pki.issueGatewayCertificate(tenantId, GATEWAY_ID, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1))), pki.caCertificate(), tenantId, GATEWAY_ID);
        link = wms.openSession(CeilingLink.Kind.JETTY_DEFLATE, baseUrl, 0);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: CpuFloorHarness certsDir wmsBaseUrl modbusHost:port periodMs warmupSeconds seconds");
            System.exit(2);
        }
        String[] hostPort = args[2].split(":");
        long periodMs = Long.parseLong(args[3]);
        long warmup = Long.parseLong(args[4]);
        long seconds = Long.parseLong(args[5]);
        Path dir = Files.createTempDirectory("cpu-floor");
        CpuFloorHarness floor = new CpuFloorHarness(DevPki.load(Path.of(args[0])), args[1],
                new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), dir.resolve("floor.mv.db"));
        ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "floor-plc"));
        tick.scheduleAtFixedRate(floor::safeOneMessage, periodMs, periodMs, TimeUnit.MILLISECONDS);
        TimeUnit.SECONDS.sleep(warmup); // the measured window starts after the JIT's warm-up, as cpu-load.sh's does
        long cpu0 = processCpuNanos();
        long acked0 = floor.wms.ackedUpTo();
        long t0 = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long cpu1 = processCpuNanos();
        long acked1 = floor.wms.ackedUpTo();
        double wall = (System.nanoTime() - t0) / 1e9;
        tick.shutdown();
        tick.awaitTermination(5, TimeUnit.SECONDS);
        floor.close();
        System.out.printf("floor (no gateway: Modbus read, Jackson, MVStore commit+fsync, Jetty TLS WebSocket frame) every %d ms,"
                + " %.0f s measured: %.1f msg/s acknowledged by the WMS; CPU %.2f %% of one core%n",
                periodMs, wall, (acked1 - acked0) / wall, 100.0 * (cpu1 - cpu0) / 1e9 / wall);
        System.exit(0);
    }

    private void safeOneMessage() {
        try {
            oneMessage();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void oneMessage() throws Exception {
        int[] registers = readHoldingRegisters(0, 3);
        long seq = nextSeq++;
        byte[] message = telemetry(registers, System.currentTimeMillis());
        queue.put(seq, message);
        store.commit();
        store.sync();
        link.send("{\"type\":\"batch\",\"items\":[{\"seq\":" + seq + "," + new String(message, 1, message.length - 1,
                StandardCharsets.UTF_8) + "]}");
        long acked = wms.ackedUpTo();
        while (removedUpTo < acked) {
            queue.remove(++removedUpTo);
        }
    }

    /** Modbus TCP function 3 on unit 1: the request, then the whole answer read. */
    private int[] readHoldingRegisters(int first, int count) throws IOException {
        int id = ++transaction & 0xFFFF;
        byte[] request = {(byte) (id >> 8), (byte) id, 0, 0, 0, 6, 1, 3, (byte) (first >> 8), (byte) first, 0, (byte) count};
        modbusOut.write(request);
        byte[] header = new byte[9];
        modbusIn.readFully(header);
        if (header[7] != 3) {
            throw new IOException("Modbus exception answer " + (header[8] & 0xFF));
        }
        byte[] data = new byte[header[8] & 0xFF];
        modbusIn.readFully(data);
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = (short) (((data[2 * i] & 0xFF) << 8) | (data[2 * i + 1] & 0xFF));
        }
        return values;
    }

    private byte[] telemetry(int[] registers, long now) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "telemetry");
            g.writeStringField("tenantId", tenantId);
            g.writeStringField("gatewayId", GATEWAY_ID);
            g.writeStringField("plcId", "floor-plc");
            g.writeNumberField("ts", now);
            g.writeArrayFieldStart("readings");
            String[] tags = {"speed", "running", "count"};
            for (int i = 0; i < registers.length; i++) {
                g.writeStartObject();
                g.writeStringField("tag", tags[i % tags.length]);
                g.writeNumberField("value", registers[i]);
                g.writeStringField("quality", "good");
                g.writeNumberField("ts", now);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void close() throws Exception {
        link.close();
        store.close();
        modbus.close();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
