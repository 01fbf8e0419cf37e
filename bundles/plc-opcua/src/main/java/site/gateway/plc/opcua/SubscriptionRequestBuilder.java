package site.gateway.plc.opcua;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcSubscriptionType;

/**
 * PLC4X's subscription builder: cyclic and change-of-state tags (a change-of-state tag sampled every
 * {@link #CHANGE_OF_STATE_INTERVAL}); event tags are refused, as the driver subscribes to value changes only.
 */
final class SubscriptionRequestBuilder implements PlcSubscriptionRequest.Builder {
    /** PLC4X's OPC UA driver samples change-of-state tags every second. */
    static final Duration CHANGE_OF_STATE_INTERVAL = Duration.ofMillis(1000);

    private final OpcuaConnection connection;
    private final Map<String, SubscribedTag> tags = new LinkedHashMap<>();
    private final Map<String, Consumer<PlcSubscriptionEvent>> tagConsumers = new HashMap<>();
    private Consumer<PlcSubscriptionEvent> consumer;

    SubscriptionRequestBuilder(OpcuaConnection connection) {
        this.connection = connection;
    }

    @Override
    public PlcSubscriptionRequest build() {
        return new SubscriptionRequest(connection, new LinkedHashMap<>(tags), tagConsumers, consumer);
    }

    @Override
    public SubscriptionRequestBuilder setConsumer(Consumer<PlcSubscriptionEvent> consumer) {
        this.consumer = consumer;
        return this;
    }

    private SubscriptionRequestBuilder add(String name, PlcTag tag, PlcSubscriptionType type, Duration interval,
            Consumer<PlcSubscriptionEvent> tagConsumer) {
        if (!(tag instanceof OpcuaTag opcua)) {
            throw new IllegalArgumentException("not a tag of this driver: " + tag);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval of " + name + " must be positive, not " + interval);
        }
        tags.put(name, new SubscribedTag(opcua, type, interval));
        if (tagConsumer != null) {
            tagConsumers.put(name, tagConsumer);
        }
        return this;
    }

    @Override
    public SubscriptionRequestBuilder addCyclicTagAddress(String name, String address, Duration interval) {
        return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CYCLIC, interval, null);
    }

    @Override
    public SubscriptionRequestBuilder addCyclicTagAddress(String name, String address, Duration interval,
            Consumer<PlcSubscriptionEvent> c) {
        return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CYCLIC, interval, c);
    }

    @Override
    public SubscriptionRequestBuilder addCyclicTag(String name, PlcTag tag, Duration interval) {
        return add(name, tag, PlcSubscriptionType.CYCLIC, interval, null);
    }

    @Override
    public SubscriptionRequestBuilder addCyclicTag(String name, PlcTag tag, Duration interval, Consumer<PlcSubscriptionEvent> c) {
        return add(name, tag, PlcSubscriptionType.CYCLIC, interval, c);
    }

    @Override
    public SubscriptionRequestBuilder addChangeOfStateTagAddress(String name, String address) {
        return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, null);
    }

    @Override
    public SubscriptionRequestBuilder addChangeOfStateTagAddress(String name, String address, Consumer<PlcSubscriptionEvent> c) {
        return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, c);
    }

    @Override
    public SubscriptionRequestBuilder addChangeOfStateTag(String name, PlcTag tag) {
        return add(name, tag, PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, null);
    }

    @Override
    public SubscriptionRequestBuilder addChangeOfStateTag(String name, PlcTag tag, Consumer<PlcSubscriptionEvent> c) {
        return add(name, tag, PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, c);
    }

    @Override
    public SubscriptionRequestBuilder addEventTagAddress(String name, String address) {
        throw noEvents();
    }

    @Override
    public SubscriptionRequestBuilder addEventTagAddress(String name, String address, Consumer<PlcSubscriptionEvent> c) {
        throw noEvents();
    }

    @Override
    public SubscriptionRequestBuilder addEventTag(String name, PlcTag tag) {
        throw noEvents();
    }

    @Override
    public SubscriptionRequestBuilder addEventTag(String name, PlcTag tag, Consumer<PlcSubscriptionEvent> c) {
        throw noEvents();
    }

    private static PlcUnsupportedOperationException noEvents() {
        return new PlcUnsupportedOperationException("the gateway's OPC UA driver subscribes to value changes, not to OPC UA events");
    }
}
