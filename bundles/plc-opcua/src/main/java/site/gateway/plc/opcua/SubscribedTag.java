package site.gateway.plc.opcua;

import java.time.Duration;
import java.util.Optional;

import org.apache.plc4x.java.api.model.PlcSubscriptionTag;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcSubscriptionType;
import org.apache.plc4x.java.api.types.PlcValueType;

/** A tag of a subscription request: the node, and how often the server samples it. */
record SubscribedTag(OpcuaTag tag, PlcSubscriptionType type, Duration interval) implements PlcSubscriptionTag {
    @Override
    public PlcSubscriptionType getPlcSubscriptionType() {
        return type;
    }

    @Override
    public PlcTag getTag() {
        return tag;
    }

    @Override
    public Optional<Duration> getDuration() {
        return Optional.of(interval);
    }

    @Override
    public String getAddressString() {
        return tag.getAddressString();
    }

    @Override
    public PlcValueType getPlcValueType() {
        return tag.getPlcValueType();
    }
}
