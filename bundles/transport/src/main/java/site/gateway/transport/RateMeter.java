package site.gateway.transport;

/** Messages per second over the last complete 10 one-second buckets. */
final class RateMeter {
    private static final int BUCKETS = 10;
    private final long[] counts = new long[BUCKETS];
    private long currentSecond;

    synchronized void add(long n, long nowMs) {
        roll(nowMs / 1000);
        counts[(int) (currentSecond % BUCKETS)] += n;
    }

    synchronized double perSecond(long nowMs) {
        roll(nowMs / 1000);
        long sum = 0;
        for (int i = 1; i < BUCKETS; i++) {
            sum += counts[(int) ((currentSecond - i + BUCKETS * 2L) % BUCKETS)];
        }
        return sum / (double) (BUCKETS - 1);
    }

    private void roll(long second) {
        if (second <= currentSecond) {
            return;
        }
        long steps = Math.min(BUCKETS, second - currentSecond);
        for (long s = 1; s <= steps; s++) {
            counts[(int) ((currentSecond + s) % BUCKETS)] = 0;
        }
        currentSecond = second;
    }
}
