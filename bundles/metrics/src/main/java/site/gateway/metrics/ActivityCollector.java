package site.gateway.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import site.gateway.api.plc.PlcReadStats;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.stats.CommandStats;
import site.gateway.api.stats.LatencyHistogram;

/**
 * What the PLCs and commands did, as the services that do the work count it (read at each scrape): reads,
 * read errors and read latency per PLC, command latency by outcome. A service that is not running
 * contributes nothing.
 */
final class ActivityCollector implements MultiCollector {
    private final Supplier<PlcRegistry> plcs;
    private final Supplier<CommandStats> commands;

    ActivityCollector(Supplier<PlcRegistry> plcs, Supplier<CommandStats> commands) {
        this.plcs = plcs;
        this.commands = commands;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        PlcRegistry registry = plcs.get();
        if (registry != null) {
            List<PlcReadStats> stats = registry.readStats();
            if (!stats.isEmpty()) {
                CounterSnapshot.Builder reads = CounterSnapshot.builder().name("gateway_plc_reads")
                        .help("Read requests sent to the PLC (polls and command reads, failed ones included) since its configuration was applied.");
                CounterSnapshot.Builder errors = CounterSnapshot.builder().name("gateway_plc_read_errors")
                        .help("Read requests to the PLC that failed (no answer in time, connection error) since its configuration was applied.");
                HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("gateway_plc_read_latency_seconds")
                        .help("Time the PLC took to answer successful read requests.");
                for (PlcReadStats plc : stats) {
                    Labels labels = plcLabels(plc.plcId(), plc.driver());
                    reads.dataPoint(CounterDataPointSnapshot.builder().value(plc.reads()).labels(labels).build());
                    errors.dataPoint(CounterDataPointSnapshot.builder().value(plc.errors()).labels(labels).build());
                    latency.dataPoint(histogramPoint(plc.latency(), labels));
                }
                out.add(reads.build());
                out.add(errors.build());
                out.add(latency.build());
            }
        }
        CommandStats commandStats = commands.get();
        if (commandStats != null) {
            HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("gateway_command_latency_seconds")
                    .help("Time from a WMS command's arrival to its outcome: the rejection, or the command.result (queueing included).");
            for (Map.Entry<String, LatencyHistogram> outcome : commandStats.latencyByOutcome().entrySet()) {
                latency.dataPoint(histogramPoint(outcome.getValue(), Labels.of("outcome", outcome.getKey())));
            }
            out.add(latency.build());
        }
        return new MetricSnapshots(out);
    }

    /** The labels of a PLC's series, the same on every PLC metric so that they can be joined. */
    static Labels plcLabels(String plcId, String driver) {
        return Labels.of("plc", plcId, "driver", driver == null ? "" : driver);
    }

    /** The snapshot's buckets plus the +Inf one the text format requires (both count per bucket, not cumulatively). */
    static HistogramDataPointSnapshot histogramPoint(LatencyHistogram histogram, Labels labels) {
        List<Double> bounds = new ArrayList<>(histogram.upperBounds());
        bounds.add(Double.POSITIVE_INFINITY);
        return HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, histogram.counts()))
                .sum(histogram.sum()).labels(labels).build();
    }
}
