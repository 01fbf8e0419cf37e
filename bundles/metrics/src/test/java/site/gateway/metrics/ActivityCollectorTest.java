package site.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.stats.CommandStats;
import site.gateway.api.stats.LatencyHistogram;
import site.gateway.api.stats.LatencyRecorder;

class ActivityCollectorTest {
    private static final double[] BOUNDS = {0.001, 0.01, 0.1, 1};

    @Test
    void plcReadsErrorsAndLatencyPerPlcAreCountersAndAHistogram() throws Exception {
        LatencyRecorder line1 = new LatencyRecorder(BOUNDS);
        line1.recordNanos(500_000);      // 0.0005 s: first bucket
        line1.recordNanos(10_000_000);   // 0.01 s: exactly a bound, which is inclusive
        line1.recordNanos(50_000_000);   // 0.05 s
        line1.recordNanos(3_000_000_000L); // above every bound: +Inf only
        PlcRegistry registry = readStatsOnly(List.of(
                new PlcReadStats("line1", "modbus-tcp", 5, 1, line1.snapshot()),
                new PlcReadStats("line2", "s7", 0, 0, new LatencyRecorder(BOUNDS).snapshot())));

        Exposition scrape = scrape(new ActivityCollector(() -> registry, () -> null));

        String line1Labels = "driver=modbus-tcp,plc=line1";
        assertThat(scrape.types).containsEntry("gateway_plc_reads_total", "counter").containsEntry("gateway_plc_read_errors_total", "counter")
                .containsEntry("gateway_plc_read_latency_seconds", "histogram");
        assertThat(scrape.samples).containsEntry("gateway_plc_reads_total{" + line1Labels + "}", 5.0)
                .containsEntry("gateway_plc_read_errors_total{" + line1Labels + "}", 1.0)
                .containsEntry("gateway_plc_reads_total{driver=s7,plc=line2}", 0.0)
                // cumulative in the exposition
                .containsEntry("gateway_plc_read_latency_seconds_bucket{driver=modbus-tcp,le=0.001,plc=line1}", 1.0)
                .containsEntry("gateway_plc_read_latency_seconds_bucket{driver=modbus-tcp,le=0.01,plc=line1}", 2.0)
                .containsEntry("gateway_plc_read_latency_seconds_bucket{driver=modbus-tcp,le=0.1,plc=line1}", 3.0)
                .containsEntry("gateway_plc_read_latency_seconds_bucket{driver=modbus-tcp,le=1.0,plc=line1}", 3.0)
                .containsEntry("gateway_plc_read_latency_seconds_bucket{driver=modbus-tcp,le=+Inf,plc=line1}", 4.0)
                .containsEntry("gateway_plc_read_latency_seconds_count{" + line1Labels + "}", 4.0)
                .containsEntry("gateway_plc_read_latency_seconds_count{driver=s7,plc=line2}", 0.0);
        assertThat(scrape.samples.get("gateway_plc_read_latency_seconds_sum{" + line1Labels + "}"))
                .isCloseTo(3.0605, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(scrape.samples).noneSatisfy((name, value) -> assertThat(name).startsWith("gateway_command_"));
    }

    @Test
    void commandLatencyIsOneHistogramSeriesPerOutcome() throws Exception {
        Map<String, LatencyHistogram> byOutcome = new LinkedHashMap<>();
        for (String outcome : List.of(CommandStats.REJECTED, CommandStats.SUCCEEDED, CommandStats.FAILED,
                CommandStats.TIMED_OUT, CommandStats.EXPIRED)) {
            byOutcome.put(outcome, new LatencyRecorder(BOUNDS).snapshot());
        }
        LatencyRecorder succeeded = new LatencyRecorder(BOUNDS);
        succeeded.recordNanos(200_000_000);
        succeeded.recordNanos(300_000_000);
        byOutcome.put(CommandStats.SUCCEEDED, succeeded.snapshot());
        CommandStats commands = () -> byOutcome;

        Exposition scrape = scrape(new ActivityCollector(() -> null, () -> commands));

        assertThat(scrape.types).containsEntry("gateway_command_latency_seconds", "histogram");
        assertThat(scrape.samples).containsEntry("gateway_command_latency_seconds_count{outcome=succeeded}", 2.0)
                .containsEntry("gateway_command_latency_seconds_bucket{le=0.1,outcome=succeeded}", 0.0)
                .containsEntry("gateway_command_latency_seconds_bucket{le=1.0,outcome=succeeded}", 2.0);
        for (String outcome : byOutcome.keySet()) {
            assertThat(scrape.samples).containsKey("gateway_command_latency_seconds_bucket{le=+Inf,outcome=" + outcome + "}");
        }
        assertThat(scrape.samples).noneSatisfy((name, value) -> assertThat(name).startsWith("gateway_plc_"));
    }

    @Test
    void theGatewayMetricsEndpointCarriesThemOnceTheServicesAreBound() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.activate();
        try {
            assertThat(Exposition.parse(write(metrics)).types).doesNotContainKeys("gateway_plc_reads_total", "gateway_command_latency_seconds");
            metrics.plcs = readStatsOnly(List.of(new PlcReadStats("line1", "simulated", 2, 0, new LatencyRecorder(BOUNDS).snapshot())));
            metrics.commands = () -> Map.of(CommandStats.REJECTED, new LatencyRecorder(BOUNDS).snapshot());
            Exposition scrape = Exposition.parse(write(metrics));
            assertThat(scrape.samples).containsEntry("gateway_plc_reads_total{driver=simulated,plc=line1}", 2.0);
            assertThat(scrape.types).containsEntry("gateway_command_latency_seconds", "histogram");
        } finally {
            metrics.deactivate();
        }
    }

    private static Exposition scrape(ActivityCollector collector) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(collector);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        return Exposition.parse(out.toString(StandardCharsets.UTF_8));
    }

    private static String write(GatewayMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A registry whose PLCs are known only by their read figures (the real one needs running PLCs). */
    private static PlcRegistry readStatsOnly(List<PlcReadStats> stats) {
        return (PlcRegistry) Proxy.newProxyInstance(PlcRegistry.class.getClassLoader(), new Class<?>[] {PlcRegistry.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("readStats")) {
                        return stats;
                    }
                    if (method.getName().equals("statuses")) {
                        return List.of(); // GatewayCollector's view: no PLC status here
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
