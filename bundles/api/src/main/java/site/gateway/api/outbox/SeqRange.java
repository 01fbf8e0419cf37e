package site.gateway.api.outbox;

/** An inclusive range of seq values, written {@code [from, to]} on the wire. */
public record SeqRange(long from, long to) {
    public SeqRange {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("bad seq range [" + from + ", " + to + "]");
        }
    }

    public long size() {
        return to - from + 1;
    }
}
