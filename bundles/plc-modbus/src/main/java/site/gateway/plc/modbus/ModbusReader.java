package site.gateway.plc.modbus;

import java.util.List;
import java.util.Map;

import site.gateway.support.plcdriver.TagReadRequest;

/** Reads one request's tags with as few Modbus requests as the addresses allow ({@link ReadPlan}), planned once. */
final class ModbusReader implements TagReadRequest.Reader {
    private final ModbusConnection connection;
    private final List<ReadPlan.Chunk> plan;

    ModbusReader(ModbusConnection connection, Map<String, ModbusAddress> tags) {
        this.connection = connection;
        this.plan = ReadPlan.of(tags, connection.settings());
    }

    @Override
    public TagReadRequest.Results read(long timeoutMs) throws Exception {
        return connection.exchanges().read(plan, timeoutMs);
    }

    /** The Modbus requests one execution sends. */
    int requestCount() {
        return plan.size();
    }
}
