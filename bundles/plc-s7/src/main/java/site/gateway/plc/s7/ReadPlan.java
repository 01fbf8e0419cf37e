package site.gateway.plc.s7;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import site.gateway.support.plcdriver.Run;

/**
 * The Read Var requests that read a set of tags at a given PDU size: per area and data block, tags sorted by byte
 * offset and merged into one item while the next one starts at most {@link #MERGE_GAP} bytes after the previous
 * ends and the item still fits an answer; items then packed into as few requests as the PDU size allows (request
 * and answer), at most {@link #MAX_ITEMS} per request. Twenty neighbouring tags of a DB are one item of one request.
 */
final class ReadPlan {
    /** Bytes between two tags worth reading along rather than spending another item (12 request + 4 answer bytes). */
    static final int MERGE_GAP = 16;
    /** Items per request: S7-300 CPUs and snap7 take no more than 20. */
    static final int MAX_ITEMS = 20;
    private static final int REQUEST_HEADER = 10 + 2; // S7comm header, function and item count
    private static final int REQUEST_ITEM = 12;
    private static final int ANSWER_HEADER = 12 + 2;
    private static final int ANSWER_ITEM_HEADER = 4;

    /** A tag of a request, by its name in the read request. */
    record Entry(String name, S7Address address) {
    }

    /**
     * One item: {@code length} bytes from {@code start} of one area (data block). {@code split} is set once the PLC
     * refused the merged item with "address out of range" (a gap or end it does not have): from then on its tags are
     * read one by one, so one wrong address does not take its neighbours down.
     */
    static final class Range {
        final Area area;
        final int db;
        final int start;
        final int length;
        final List<Entry> entries;
        volatile boolean split;

        Range(Area area, int db, int start, int length, List<Entry> entries) {
            this.area = area;
            this.db = db;
            this.start = start;
            this.length = length;
            this.entries = List.copyOf(entries);
        }

        static Range of(Entry entry) {
            S7Address a = entry.address();
            return new Range(a.area(), a.db(), a.offset(), a.byteLength(), List.of(entry));
        }
    }

    final int pduSize;
    /** Tags whose bytes alone exceed what one answer carries at this PDU size: they read bad. */
    final List<Entry> oversize;
    private final List<Range> ranges;
    private volatile List<List<Range>> requests;

    private ReadPlan(int pduSize, List<Range> ranges, List<Entry> oversize) {
        this.pduSize = pduSize;
        this.ranges = ranges;
        this.oversize = List.copyOf(oversize);
        this.requests = pack(ranges, pduSize);
    }

    /** Most bytes one item of an answer carries at {@code pduSize}. */
    static int maxItemBytes(int pduSize) {
        return pduSize - ANSWER_HEADER - ANSWER_ITEM_HEADER;
    }

    static ReadPlan of(Map<String, S7Address> tags, int pduSize) {
        int limit = maxItemBytes(pduSize);
        Map<String, List<Entry>> blocks = new LinkedHashMap<>();
        List<Entry> oversize = new ArrayList<>();
        tags.forEach((name, address) -> {
            Entry entry = new Entry(name, address);
            if (address.byteLength() > limit) {
                oversize.add(entry);
            } else {
                blocks.computeIfAbsent(address.block(), b -> new ArrayList<>()).add(entry);
            }
        });
        List<Range> ranges = new ArrayList<>();
        for (List<Entry> block : blocks.values()) {
            block.sort(Comparator.comparingInt(e -> e.address().offset()));
            for (Run<Entry> run : Run.gather(block, e -> e.address().offset(), e -> e.address().byteLength(), limit,
                    MERGE_GAP)) {
                ranges.add(range(run.entries(), run.start(), run.end()));
            }
        }
        return new ReadPlan(pduSize, List.copyOf(ranges), oversize);
    }

    private static Range range(List<Entry> entries, int start, int end) {
        S7Address first = entries.get(0).address();
        return new Range(first.area(), first.db(), start, end - start, entries);
    }

    /** The requests one read sends, each a list of items. */
    List<List<Range>> requests() {
        return requests;
    }

    /** Marks {@code refused} split and re-plans; returns their tags as single items, to read them at once. */
    List<Range> split(List<Range> refused) {
        List<Range> singles = new ArrayList<>();
        for (Range range : refused) {
            range.split = true;
            range.entries.forEach(e -> singles.add(Range.of(e)));
        }
        List<Range> items = new ArrayList<>();
        for (Range range : ranges) {
            if (range.split) {
                range.entries.forEach(e -> items.add(Range.of(e)));
            } else {
                items.add(range);
            }
        }
        requests = pack(items, pduSize);
        return singles;
    }

    /** Items into requests: each request and its answer within {@code pduSize}, at most {@link #MAX_ITEMS} items. */
    static List<List<Range>> pack(List<Range> items, int pduSize) {
        List<List<Range>> requests = new ArrayList<>();
        List<Range> current = new ArrayList<>();
        int answerBytes = ANSWER_HEADER;
        for (Range item : items) {
            int itemAnswer = ANSWER_ITEM_HEADER + item.length + (item.length & 1); // odd data is padded, but the last
            boolean full = current.size() == MAX_ITEMS || REQUEST_HEADER + REQUEST_ITEM * (current.size() + 1) > pduSize
                    || answerBytes + itemAnswer - (item.length & 1) > pduSize;
            if (!current.isEmpty() && full) {
                requests.add(List.copyOf(current));
                current = new ArrayList<>();
                answerBytes = ANSWER_HEADER;
            }
            current.add(item);
            answerBytes += itemAnswer;
        }
        if (!current.isEmpty()) {
            requests.add(List.copyOf(current));
        }
        return List.copyOf(requests);
    }
}
