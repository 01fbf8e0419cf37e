package site.gateway.plc.s7;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ReadPlanTest {
    private static final int PDU = 480; // what snap7 and S7-300 CPUs agree

    @Test
    void twentyNeighbouringTagsOfADbAreOneItemOfOneRequest() {
        Map<String, S7Address> tags = new LinkedHashMap<>();
        for (int i = 19; i >= 0; i--) {
            tags.put("t" + i, S7Address.parse("%DB1.DBW" + (2 * i) + ":INT"));
        }
        ReadPlan plan = ReadPlan.of(tags, PDU);

        assertThat(plan.requests()).singleElement().satisfies(request -> assertThat(request).singleElement().satisfies(item -> {
            assertThat(item.start).isZero();
            assertThat(item.length).isEqualTo(40);
            assertThat(item.entries).extracting(ReadPlan.Entry::name).startsWith("t0", "t1");
        }));
    }

    @Test
    void smallGapsAreReadAlongLargeOnesAndOtherBlocksAreItemsOfTheirOwn() {
        Map<String, S7Address> tags = new LinkedHashMap<>();
        tags.put("a", S7Address.parse("%DB1.DBW0:INT"));
        tags.put("b", S7Address.parse("%DB1.DBW18:INT"));     // gap 16: along
        tags.put("c", S7Address.parse("%DB1.DBW37:INT"));     // gap 17: a new item
        tags.put("d", S7Address.parse("%DB2.DBW0:INT"));
        tags.put("e", S7Address.parse("%M0.0:BOOL"));
        tags.put("f", S7Address.parse("%DB1.DBX1.3:BOOL"));  // inside a's bytes

        List<ReadPlan.Range> items = plan(tags).requests().get(0);

        assertThat(items).extracting(r -> r.area + "/" + r.db + "@" + r.start + "+" + r.length)
                .containsExactly("DATA_BLOCKS/1@0+20", "DATA_BLOCKS/1@37+2", "DATA_BLOCKS/2@0+2", "FLAGS/0@0+1");
        assertThat(items.get(0).entries).extracting(ReadPlan.Entry::name).containsExactly("a", "f", "b");
    }

    @Test
    void requestsSplitAtTwentyItemsAndAtWhatTheAnswerCarries() {
        Map<String, S7Address> tags = new LinkedHashMap<>();
        for (int db = 1; db <= 25; db++) {
            tags.put("t" + db, S7Address.parse("%DB" + db + ".DBW0:INT"));
        }
        assertThat(plan(tags).requests()).extracting(List::size).containsExactly(20, 5);

        Map<String, S7Address> strings = new LinkedHashMap<>();
        for (int db = 1; db <= 4; db++) {
            strings.put("s" + db, S7Address.parse("%DB" + db + ":0:STRING(200)")); // 202 bytes + 4 each
        }
        List<List<ReadPlan.Range>> requests = plan(strings).requests();
        assertThat(requests).extracting(List::size).containsExactly(2, 2);
        for (List<ReadPlan.Range> request : requests) {
            int answer = 14 + request.stream().mapToInt(r -> 4 + r.length).sum();
            assertThat(answer).isLessThanOrEqualTo(PDU);
        }
    }

    @Test
    void aTagLargerThanAnAnswerIsSetAsideAndAMergeStopsAtTheAnswerSize() {
        Map<String, S7Address> tags = new LinkedHashMap<>();
        tags.put("huge", S7Address.parse("%DB1:0:STRING(254)[2]"));
        tags.put("a", S7Address.parse("%DB2:0:STRING(254)"));
        tags.put("b", S7Address.parse("%DB2:256:STRING(254)"));
        ReadPlan plan = plan(tags);

        assertThat(plan.oversize).extracting(ReadPlan.Entry::name).containsExactly("huge");
        assertThat(plan.requests()).hasSize(2).allSatisfy(r -> assertThat(r).singleElement()
                .satisfies(item -> assertThat(item.length).isEqualTo(256)));
        assertThat(ReadPlan.maxItemBytes(PDU)).isEqualTo(462);
    }

    @Test
    void aSplitItemIsReadTagByTagFromThenOn() {
        Map<String, S7Address> tags = new LinkedHashMap<>();
        tags.put("a", S7Address.parse("%DB1.DBW0:INT"));
        tags.put("b", S7Address.parse("%DB1.DBW2:INT"));
        tags.put("c", S7Address.parse("%DB2.DBW0:INT"));
        ReadPlan plan = plan(tags);
        ReadPlan.Range merged = plan.requests().get(0).get(0);

        List<ReadPlan.Range> singles = plan.split(List.of(merged));

        assertThat(singles).extracting(r -> r.entries.get(0).name()).containsExactly("a", "b");
        assertThat(plan.requests()).singleElement().satisfies(r -> assertThat(r).extracting(i -> i.db + "@" + i.start)
                .containsExactly("1@0", "1@2", "2@0"));
    }

    private static ReadPlan plan(Map<String, S7Address> tags) {
        return ReadPlan.of(tags, PDU);
    }
}
