package site.gateway.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.openjdk.jmh.infra.Blackhole;

/**
 * The JMH comparison, made robust against a machine shared with other work: the real store and the
 * bare MVStore map (same states as {@link OutboxBench}) run in alternating slices, so that both see
 * the same background load, and the ratio is taken per pair of neighbouring slices. Prints the median
 * throughput of each and the median ratio.
 *
 * <pre>java -cp tools/bench/target/benchmarks.jar site.gateway.bench.AlternatingHarness [backlog] [pairs] [sliceMs]</pre>
 */
public final class AlternatingHarness {
    private static final OutboxBench BENCH = new OutboxBench();
    private static final Blackhole BH = OutboxBench.blackhole();

    private AlternatingHarness() {
    }

    public static void main(String[] args) throws Exception {
        int backlog = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        long sliceMs = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        OutboxBench.StoreState store = new OutboxBench.StoreState();
        store.backlog = backlog;
        store.open();
        OutboxBench.BareMapState bare = new OutboxBench.BareMapState();
        bare.backlog = backlog;
        bare.open();
        try {
            // warm-up
            slice(store, null, sliceMs * 2);
            slice(null, bare, sliceMs * 2);
            List<Double> s = new ArrayList<>();
            List<Double> b = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                double rs = slice(store, null, sliceMs);
                double rb = slice(null, bare, sliceMs);
                s.add(rs);
                b.add(rb);
                ratios.add(rs / rb);
                System.out.printf("pair %2d: store %,.0f msg/s, bare map %,.0f msg/s, ratio %.2f%n", i + 1, rs, rb,
                        rs / rb);
            }
            System.out.printf("ALTERNATING backlog=%d: store median %,.0f msg/s, bare map median %,.0f msg/s, "
                    + "median ratio %.2f%n", backlog, median(s), median(b), median(ratios));
        } finally {
            store.close();
            bare.close();
        }
    }

    private static double slice(OutboxBench.StoreState s, OutboxBench.BareMapState b, long ms) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000L;
        long start = System.nanoTime();
        long ops = 0;
        while (System.nanoTime() < end) {
            if (s != null) {
                BENCH.store(s, BH);
            } else {
                BENCH.bareMap(b, BH);
            }
            ops += OutboxBench.BATCH;
        }
        return ops / ((System.nanoTime() - start) / 1e9);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
