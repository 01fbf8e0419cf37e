package site.gateway.console;

/**
 * The last {@code capacity} samples of delivery rate (messages acknowledged per second) and buffer depth
 * (messages waiting), oldest first: what the Gateway page charts. A rate is NaN when it is not known.
 */
final class History {
    private final long[] ts;
    private final double[] rate;
    private final long[] depth;
    private int next;
    private int size;

    History(int capacity) {
        ts = new long[capacity];
        rate = new double[capacity];
        depth = new long[capacity];
    }

    synchronized void add(long timestamp, double ratePerSecond, long messages) {
        ts[next] = timestamp;
        rate[next] = ratePerSecond;
        depth[next] = messages;
        next = (next + 1) % ts.length;
        size = Math.min(size + 1, ts.length);
    }

    /** The samples, oldest first. */
    synchronized Samples samples() {
        long[] t = new long[size];
        double[] r = new double[size];
        long[] d = new long[size];
        int first = (next - size + ts.length) % ts.length;
        for (int i = 0; i < size; i++) {
            int at = (first + i) % ts.length;
            t[i] = ts[at];
            r[i] = rate[at];
            d[i] = depth[at];
        }
        return new Samples(t, r, d);
    }

    record Samples(long[] ts, double[] rate, long[] depth) {
    }
}
