package site.gateway.plc.opcua;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;

import site.gateway.support.plcdriver.ReadResults;

/** Changed tags of one publish answer, read like a read response. */
final class ChangeEvent extends ReadResults implements PlcSubscriptionEvent {
    private final Map<String, PlcResponseCode> codes;
    private final Instant timestamp;

    ChangeEvent(PlcReadRequest request, Map<String, PlcResponseCode> codes, Map<String, PlcValue> values, Instant timestamp) {
        super(request, codes, values);
        this.codes = codes;
        this.timestamp = timestamp;
    }

    /** Only the tags that changed. */
    @Override
    public Collection<String> getTagNames() {
        return codes.keySet();
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }
}
