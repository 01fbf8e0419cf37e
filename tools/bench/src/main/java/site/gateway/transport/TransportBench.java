package site.gateway.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import site.gateway.sandbox.WmsSandbox;
import site.gateway.sandbox.pki.DevPki;

/**
 * Measurements for docs/transport.md (a program, not a unit test). The sandbox runs in the same JVM,
 * over real TLS 1.3 on loopback. Usage: {@code TransportBench throughput [count] | latency [seconds [wmsAckDelayMs]]
 * | recovery [seconds] | outage [seconds]}.
 */
public final class TransportBench {
    private static final DevPki PKI = DevPki.generate(TestGateway.TENANT, TestGateway.GATEWAY);

    private TransportBench() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "throughput";
        int seconds = args.length > 1 && args[1].matches("\\d+") ? Integer.parseInt(args[1]) : 60;
        switch (what) {
            case "throughput" -> throughput(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
            case "throughput-remote" -> throughputRemote(args[1], java.nio.file.Path.of(args[2]), Integer.parseInt(args[3]));
            case "latency" -> latency(seconds, args.length > 2 ? Integer.parseInt(args[2]) : 5);
            case "recovery" -> recovery(seconds);
            case "outage" -> outageAndFailover(seconds);
            default -> throw new IllegalArgumentException("throughput|latency|recovery|outage");
        }
        System.exit(0);
    }

    /** Sustained throughput: a producer appends as fast as it can; time from first append to last ack. */
    static void throughput(int count) throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(PKI).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(PKI), TestGateway.TENANT,
                        defaults(wms.baseUrl()))) {
            awaitConnected(gw);
            warmUp(gw, wms);
            long first = gw.outbox().nextSeq();
            Map<String, Long> cpuBefore = cpuByThreadGroup();
            long start = System.nanoTime();
            Thread producer = new Thread(() -> gw.append(count), "producer");
            producer.start();
            long last = first + count - 1;
            while (gw.outbox().lastAckedSeq() < last) {
                Thread.onSpinWait();
                Thread.sleep(1);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            producer.join();
            System.out.printf("throughput: %d messages appended, sent over TLS 1.3 and acknowledged in %.2f s = %.0f msg/s%n",
                    count, secs, count / secs);
            Map<String, Long> cpuAfter = cpuByThreadGroup();
            cpuAfter.forEach((group, nanos) -> System.out.printf("  CPU %-12s %6.2f us/message%n", group,
                    (nanos - cpuBefore.getOrDefault(group, 0L)) / 1e3 / count));
        }
    }

    /**
     * Like {@link #throughput} against a sandbox in its own JVM ({@code wms-sandbox.jar serve --pki DIR --quiet}),
     * trusting the PKI written there.
     */
    static void throughputRemote(String baseUrl, java.nio.file.Path pkiDir, int count) throws Exception {
        DevPki pki = DevPki.load(pkiDir);
        try (TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(pki), pki.tenantId(), defaults(baseUrl))) {
            awaitConnected(gw);
            gw.append(20_000);
            while (gw.outbox().lastAckedSeq() < gw.outbox().nextSeq() - 1) {
                Thread.sleep(5);
            }
            long first = gw.outbox().nextSeq();
            Map<String, Long> cpuBefore = cpuByThreadGroup();
            long start = System.nanoTime();
            Thread producer = new Thread(() -> gw.append(count), "producer");
            producer.start();
            while (gw.outbox().lastAckedSeq() < first + count - 1) {
                Thread.sleep(1);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("throughput (sandbox in its own JVM): %d messages in %.2f s = %.0f msg/s%n", count, secs, count / secs);
            Map<String, Long> cpuAfter = cpuByThreadGroup();
            cpuAfter.forEach((group, nanos) -> System.out.printf("  CPU %-12s %6.2f us/message%n", group,
                    (nanos - cpuBefore.getOrDefault(group, 0L)) / 1e3 / count));
        }
    }

    /** p50/p99 from append to acknowledgement at 20 messages/s. */
    static void latency(int seconds, int wmsAckDelayMs) throws Exception {
        Map<Long, Long> appendedAt = new ConcurrentHashMap<>();
        long[] latencies = new long[seconds * 20];
        AckTimingOutbox outbox = new AckTimingOutbox(appendedAt, latencies);
        try (WmsSandbox wms = WmsSandbox.builder(PKI).ackDelay(Duration.ofMillis(wmsAckDelayMs)).start();
                TestGateway gw = TestGateway.start(outbox, new TestTls(PKI), TestGateway.TENANT, defaults(wms.baseUrl()))) {
            awaitConnected(gw);
            warmUp(gw, wms);
            outbox.recordFrom(outbox.nextSeq());
            long next = System.nanoTime();
            for (int i = 0; i < latencies.length; i++) {
                next += 50_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                gw.outbox().appendTelemetry(TestGateway.TENANT, TestGateway.GATEWAY, i);
            }
            while (outbox.recorded() < latencies.length) {
                Thread.sleep(10);
            }
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            System.out.printf("latency at 20 msg/s over %d s (%d messages, WMS ack delay %d ms): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    seconds, sorted.length, wmsAckDelayMs, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                    sorted[sorted.length - 1] / 1e6);
        }
    }

    /** The WMS is unreachable for {@code seconds}; time from its return to the first delivered message. */
    static void recovery(int seconds) throws Exception {
        try (WmsSandbox wms = WmsSandbox.builder(PKI).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(PKI), TestGateway.TENANT,
                        defaults(wms.baseUrl()))) {
            awaitConnected(gw);
            wms.goOffline();
            long end = System.currentTimeMillis() + seconds * 1000L;
            int i = 0;
            while (System.currentTimeMillis() < end) {
                gw.append(1);
                i++;
                Thread.sleep(50);
            }
            long last = gw.outbox().nextSeq() - 1;
            long back = System.nanoTime();
            wms.goOnline();
            long firstSeq = last - i + 1;
            wms.awaitDurable(TestGateway.GATEWAY, firstSeq, Duration.ofSeconds(60));
            double recoveredMs = (System.nanoTime() - back) / 1e6;
            wms.awaitLastReceivedSeq(TestGateway.GATEWAY, last, Duration.ofSeconds(60));
            System.out.printf("recovery after a %d s outage: first message delivered %.0f ms after the WMS came back "
                    + "(backoffMaxMs 10000); all %d buffered messages delivered%n", seconds, recoveredMs, i);
        }
    }

    /** 20 msg/s while the whole WMS is down for {@code seconds}, then only the second endpoint returns. */
    static void outageAndFailover(int seconds) throws Exception {
        try (WmsSandbox a = WmsSandbox.builder(PKI).start(); WmsSandbox b = WmsSandbox.builder(PKI).sharedWith(a).start();
                TestGateway gw = TestGateway.start(new InMemoryOutbox(), new TestTls(PKI), TestGateway.TENANT,
                        defaults(a.baseUrl() + "," + b.baseUrl()))) {
            awaitConnected(gw);
            long total = seconds * 20L + 400;
            long next = System.nanoTime();
            for (long i = 0; i < total; i++) {
                if (i == 200) {
                    a.goOffline();
                    b.goOffline();
                }
                if (i == seconds * 20L + 200) {
                    b.goOnline(); // failover: a stays down
                }
                next += 50_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                gw.append(1);
            }
            long last = gw.outbox().nextSeq() - 1;
            a.awaitLastReceivedSeq(TestGateway.GATEWAY, last, Duration.ofSeconds(60));
            long stored = a.storedCount(TestGateway.GATEWAY);
            System.out.printf("outage %d s + failover: %d messages appended, %d stored by the WMS, %d lost, %d resent duplicates%n",
                    seconds, last, stored, last - stored, a.duplicateCount(TestGateway.GATEWAY));
        }
    }

    /** CPU time of live threads by role: the gateway's session and clients, the sandbox, the producer. */
    private static Map<String, Long> cpuByThreadGroup() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> result = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.startsWith("wms-session") || name.startsWith("wms-client") ? "gateway"
                    : name.startsWith("wms-sandbox") ? "sandbox" : name.startsWith("producer") ? "producer" : "other";
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                result.merge(group, cpu, Long::sum);
            }
        }
        return result;
    }

    private static Map<String, Object> defaults(String endpoints) {
        return Map.of("endpoints", endpoints); // every other setting at its default
    }

    private static void awaitConnected(TestGateway gw) throws InterruptedException {
        while (gw.engine.phase() != Phase.CONNECTED) {
            Thread.sleep(10);
        }
    }

    private static void warmUp(TestGateway gw, WmsSandbox wms) throws InterruptedException {
        gw.append(20_000);
        long last = gw.outbox().nextSeq() - 1;
        while (gw.outbox().lastAckedSeq() < last) {
            Thread.sleep(5);
        }
    }

    /** Records, per acknowledged seq, the time since its append. */
    private static final class AckTimingOutbox extends InMemoryOutbox {
        private final Map<Long, Long> appendedAt;
        private final long[] latencies;
        private volatile long from = Long.MAX_VALUE;
        private int count;

        AckTimingOutbox(Map<Long, Long> appendedAt, long[] latencies) {
            this.appendedAt = appendedAt;
            this.latencies = latencies;
        }

        void recordFrom(long seq) {
            from = seq;
        }

        synchronized int recorded() {
            return count;
        }

        @Override
        public long append(site.gateway.api.outbox.MessageType type, byte[] json) {
            appendedAt.put(nextSeq(), System.nanoTime()); // one producer: this is the seq it gets
            return super.append(type, json);
        }

        @Override
        public synchronized void acknowledge(long upTo) {
            long now = System.nanoTime();
            for (long s = Math.max(lastAckedSeq() + 1, from); s <= upTo && count < latencies.length; s++) {
                Long at = appendedAt.remove(s);
                if (at != null) {
                    latencies[count++] = now - at;
                }
            }
            super.acknowledge(upTo);
        }
    }
}
