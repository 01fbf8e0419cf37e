package site.gateway.storage;

/**
 * The meta record (key 0), rewritten before each commit; a version that knows only format 1 refuses format 2 as
 * unreadable (it would not see the messages in their segments). {@code appendedUpTo} tells recovery which
 * messages arrived after these counters were taken.
 */
record Meta(long reservedUpTo, long lastAcked, long appendedUpTo, long bytes, long droppedTotal,
        long rejectedTotal) {
    /** 2: messages in {@link Segments}; a format 1 store held them in the queue map (moved when opened). */
    private static final long FORMAT = 2;
    static final Meta EMPTY = new Meta(0, 0, 0, 0, 0, 0);

    byte[] encode() {
        byte[] b = new byte[7 * 8];
        long[] v = {FORMAT, reservedUpTo, lastAcked, appendedUpTo, bytes, droppedTotal, rejectedTotal};
        for (int i = 0; i < v.length; i++) {
            Records.putLong(b, i * 8, v[i]);
        }
        return b;
    }

    static Meta decode(byte[] b) {
        if (b == null) {
            return EMPTY;
        }
        if (b.length < 7 * 8 || Records.getLong(b, 0) < 1 || Records.getLong(b, 0) > FORMAT) {
            throw new StoreFormatException("unknown buffer meta record format");
        }
        return new Meta(Records.getLong(b, 8), Records.getLong(b, 16), Records.getLong(b, 24),
                Records.getLong(b, 32), Records.getLong(b, 40), Records.getLong(b, 48));
    }
}
