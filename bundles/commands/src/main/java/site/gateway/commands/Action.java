package site.gateway.commands;

import java.util.List;
import java.util.Map;

import site.gateway.api.plc.TagWrite;

/** What an accepted command does, checked and converted from its payload. */
sealed interface Action {

    /** {@code move}, or {@code config} on a PLC: writes in order. */
    record Writes(List<TagWrite> writes) implements Action {
    }

    /** {@code query}: reads of configured tags. */
    record Reads(List<String> tags) implements Action {
    }

    /** {@code config} with {@code plcId: "gateway"}: properties to set on one allow-listed configuration. */
    record GatewayConfig(String pid, Map<String, Object> properties) implements Action {
    }
}
