package site.gateway.plc.modbus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import site.gateway.support.plcdriver.Run;

/**
 * The Modbus requests that read a set of tags: per area, tags sorted by address and merged while the span from the
 * first to the last register (or bit) fits one request, gaps included, as PLC4X's optimizer does. Twenty
 * neighbouring registers are one request.
 */
final class ReadPlan {
    /** A tag of a request, by its name in the read request. */
    record Entry(String name, ModbusAddress address) {
    }

    /**
     * One request: {@code count} registers or bits from {@code start}. {@code split} is set once the device
     * refused the merged range with ILLEGAL DATA ADDRESS (a gap it does not have): from then on its tags are read
     * one by one, so one wrong address does not take its neighbours down.
     */
    static final class Chunk {
        final Area area;
        final int start;
        final int count;
        final List<Entry> entries;
        volatile boolean split;

        Chunk(Area area, int start, int count, List<Entry> entries) {
            this.area = area;
            this.start = start;
            this.count = count;
            this.entries = List.copyOf(entries);
        }
    }

    private ReadPlan() {
    }

    static List<Chunk> of(Map<String, ModbusAddress> tags, ConnectionSettings settings) {
        List<Chunk> chunks = new ArrayList<>();
        for (Area area : Area.values()) {
            List<Entry> entries = tags.entrySet().stream().filter(e -> e.getValue().area() == area)
                    .map(e -> new Entry(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingInt(e -> e.address().offset())).toList();
            for (Run<Entry> run : Run.gather(entries, e -> e.address().offset(), e -> e.address().units(),
                    settings.limit(area), Integer.MAX_VALUE)) {
                chunks.add(new Chunk(area, run.start(), run.end() - run.start(), run.entries()));
            }
        }
        return chunks;
    }
}
