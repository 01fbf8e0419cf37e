package site.gateway.plc.s7;

import java.util.Map;

import site.gateway.support.plcdriver.TagReadRequest;

/**
 * Reads one request's tags with as few Read Var requests as the addresses and the connection's PDU size allow
 * ({@link ReadPlan}); the plan is made at the first execution and kept while the PDU size stays.
 */
final class S7Reader implements TagReadRequest.Reader {
    private final S7Connection connection;
    private final Map<String, S7Address> tags;
    private volatile ReadPlan plan;

    S7Reader(S7Connection connection, Map<String, S7Address> tags) {
        this.connection = connection;
        this.tags = tags;
    }

    @Override
    public TagReadRequest.Results read(long timeoutMs) throws Exception {
        TagExchanges exchanges = connection.exchanges();
        return exchanges.read(plan(exchanges.pduSize()), timeoutMs);
    }

    /** The plan for {@code pduSize}: the last one, or a new one if the PDU size changed (a reconnect). */
    ReadPlan plan(int pduSize) {
        ReadPlan current = plan;
        if (current == null || current.pduSize != pduSize) {
            current = ReadPlan.of(tags, pduSize);
            plan = current;
        }
        return current;
    }
}
