package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionResponse;
import org.apache.plc4x.java.api.messages.PlcUnsubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcUnsubscriptionResponse;
import org.apache.plc4x.java.api.model.PlcConsumerRegistration;
import org.apache.plc4x.java.api.model.PlcSubscriptionHandle;
import org.apache.plc4x.java.api.model.PlcSubscriptionTag;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcSubscriptionType;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import site.gateway.support.plcdriver.CallerRunsFuture;
import site.gateway.support.plcdriver.NamedTags;
import site.gateway.support.plcdriver.ReadResults;
import site.gateway.support.plcdriver.TagReadRequest;

/**
 * PLC4X's subscriptions as OPC UA monitored items: one Milo subscription per request, publishing at the shortest
 * interval its tags ask for, one monitored item per tag sampled at its interval (a cyclic tag's duration;
 * change-of-state tags 1000 ms, PLC4X's default), reporting changes of value or status (the server's default filter).
 * Each publish answer with changes is one event with the changed tags, on Milo's executor. Events (value changes)
 * only: no OPC UA events or alarms.
 */
final class Subscriptions {
    /** PLC4X's OPC UA driver samples change-of-state tags every second. */
    static final Duration CHANGE_OF_STATE_INTERVAL = Duration.ofMillis(1000);

    private Subscriptions() {
    }

    /** A tag of a subscription request. */
    record Tag(OpcuaTag tag, PlcSubscriptionType type, Duration interval) implements PlcSubscriptionTag {
        @Override
        public PlcSubscriptionType getPlcSubscriptionType() {
            return type;
        }

        @Override
        public PlcTag getTag() {
            return tag;
        }

        @Override
        public java.util.Optional<Duration> getDuration() {
            return java.util.Optional.of(interval);
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

    /** PLC4X's builder. */
    static final class RequestBuilder implements PlcSubscriptionRequest.Builder {
        private final OpcuaConnection connection;
        private final Map<String, Tag> tags = new LinkedHashMap<>();
        private final Map<String, Consumer<PlcSubscriptionEvent>> tagConsumers = new HashMap<>();
        private Consumer<PlcSubscriptionEvent> consumer;

        RequestBuilder(OpcuaConnection connection) {
            this.connection = connection;
        }

        @Override
        public PlcSubscriptionRequest build() {
            return new Request(connection, new LinkedHashMap<>(tags), tagConsumers, consumer);
        }

        @Override
        public RequestBuilder setConsumer(Consumer<PlcSubscriptionEvent> consumer) {
            this.consumer = consumer;
            return this;
        }

        private RequestBuilder add(String name, PlcTag tag, PlcSubscriptionType type, Duration interval,
                Consumer<PlcSubscriptionEvent> tagConsumer) {
            if (!(tag instanceof OpcuaTag opcua)) {
                throw new IllegalArgumentException("not a tag of this driver: " + tag);
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the interval of " + name + " must be positive, not " + interval);
            }
            tags.put(name, new Tag(opcua, type, interval));
            if (tagConsumer != null) {
                tagConsumers.put(name, tagConsumer);
            }
            return this;
        }

        @Override
        public RequestBuilder addCyclicTagAddress(String name, String address, Duration interval) {
            return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CYCLIC, interval, null);
        }

        @Override
        public RequestBuilder addCyclicTagAddress(String name, String address, Duration interval, Consumer<PlcSubscriptionEvent> c) {
            return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CYCLIC, interval, c);
        }

        @Override
        public RequestBuilder addCyclicTag(String name, PlcTag tag, Duration interval) {
            return add(name, tag, PlcSubscriptionType.CYCLIC, interval, null);
        }

        @Override
        public RequestBuilder addCyclicTag(String name, PlcTag tag, Duration interval, Consumer<PlcSubscriptionEvent> c) {
            return add(name, tag, PlcSubscriptionType.CYCLIC, interval, c);
        }

        @Override
        public RequestBuilder addChangeOfStateTagAddress(String name, String address) {
            return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, null);
        }

        @Override
        public RequestBuilder addChangeOfStateTagAddress(String name, String address, Consumer<PlcSubscriptionEvent> c) {
            return add(name, OpcuaTag.parse(address), PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, c);
        }

        @Override
        public RequestBuilder addChangeOfStateTag(String name, PlcTag tag) {
            return add(name, tag, PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, null);
        }

        @Override
        public RequestBuilder addChangeOfStateTag(String name, PlcTag tag, Consumer<PlcSubscriptionEvent> c) {
            return add(name, tag, PlcSubscriptionType.CHANGE_OF_STATE, CHANGE_OF_STATE_INTERVAL, c);
        }

        @Override
        public RequestBuilder addEventTagAddress(String name, String address) {
            throw noEvents();
        }

        @Override
        public RequestBuilder addEventTagAddress(String name, String address, Consumer<PlcSubscriptionEvent> c) {
            throw noEvents();
        }

        @Override
        public RequestBuilder addEventTag(String name, PlcTag tag) {
            throw noEvents();
        }

        @Override
        public RequestBuilder addEventTag(String name, PlcTag tag, Consumer<PlcSubscriptionEvent> c) {
            throw noEvents();
        }

        private static PlcUnsupportedOperationException noEvents() {
            return new PlcUnsupportedOperationException("the gateway's OPC UA driver subscribes to value changes, not to OPC UA events");
        }
    }

    /** A subscription request; executed on the thread that waits for it. */
    static final class Request extends NamedTags<PlcSubscriptionTag> implements PlcSubscriptionRequest {
        private final OpcuaConnection connection;
        private final Map<String, Tag> tags;
        private final Map<String, Consumer<PlcSubscriptionEvent>> tagConsumers;
        private final Consumer<PlcSubscriptionEvent> consumer;

        /** {@code tags}: the request's own ordered copy. */
        Request(OpcuaConnection connection, LinkedHashMap<String, Tag> tags, Map<String, Consumer<PlcSubscriptionEvent>> tagConsumers,
                Consumer<PlcSubscriptionEvent> consumer) {
            super(tags);
            this.connection = connection;
            this.tags = tags;
            this.tagConsumers = Map.copyOf(tagConsumers);
            this.consumer = consumer;
        }

        @Override
        public CompletableFuture<PlcSubscriptionResponse> execute() {
            return new CallerRunsFuture<>(this::subscribe, connection.settings().requestTimeoutMs());
        }

        private PlcSubscriptionResponse subscribe(long timeoutMs) throws Exception {
            if (tags.isEmpty()) {
                throw new IllegalArgumentException("a subscription needs at least one tag");
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            OpcUaClient client = connection.client();
            long publishingMs = tags.values().stream().mapToLong(t -> t.interval().toMillis()).min().orElse(1000);
            UaSubscription subscription = connection.call(client.getSubscriptionManager().createSubscription(publishingMs),
                    remaining(deadline), "CreateSubscription");
            Map<UInteger, String> byHandle = new HashMap<>();
            List<MonitoredItemCreateRequest> items = new ArrayList<>();
            for (Map.Entry<String, Tag> entry : tags.entrySet()) {
                UInteger handle = subscription.nextClientHandle();
                byHandle.put(handle, entry.getKey());
                Tag tag = entry.getValue();
                items.add(new MonitoredItemCreateRequest(
                        new ReadValueId(tag.tag().nodeId(), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                        MonitoringMode.Reporting,
                        new MonitoringParameters(handle, (double) tag.interval().toMillis(), null, uint(1), true)));
            }
            Handle handle = new Handle(connection, subscription, byHandle, tags);
            subscription.addNotificationListener(handle);
            List<UaMonitoredItem> created = connection.call(subscription.createMonitoredItems(TimestampsToReturn.Both, items),
                    remaining(deadline), "CreateMonitoredItems");
            Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
            for (UaMonitoredItem item : created) {
                String name = byHandle.get(item.getClientHandle());
                if (name == null) {
                    continue;
                }
                PlcResponseCode code = Codes.of(item.getStatusCode());
                codes.put(name, code);
                if (code != PlcResponseCode.OK) {
                    connection.reportOnce(tags.get(name).tag(), "the server refused to monitor it: " + Codes.describe(item.getStatusCode()));
                }
            }
            if (consumer != null) {
                handle.register(consumer);
            }
            tagConsumers.forEach((name, c) -> handle.register(event -> {
                if (event.getTagNames().contains(name)) {
                    c.accept(event);
                }
            }));
            return new Response(this, codes, handle);
        }

        private static long remaining(long deadline) throws java.net.SocketTimeoutException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new java.net.SocketTimeoutException("no answer in time");
            }
            return left;
        }

        @Override
        public Consumer<PlcSubscriptionEvent> getConsumer() {
            return consumer;
        }

        @Override
        public Consumer<PlcSubscriptionEvent> getTagConsumer(String name) {
            return tagConsumers.get(name);
        }
    }

    /** The answer: a code per tag and one handle for them all. */
    record Response(Request request, Map<String, PlcResponseCode> codes, Handle handle) implements PlcSubscriptionResponse {
        @Override
        public PlcSubscriptionRequest getRequest() {
            return request;
        }

        @Override
        public PlcSubscriptionHandle getSubscriptionHandle(String name) {
            return request.tags.containsKey(name) ? handle : null;
        }

        @Override
        public Collection<PlcSubscriptionHandle> getSubscriptionHandles() {
            return List.of(handle);
        }

        @Override
        public Collection<String> getTagNames() {
            return request.getTagNames();
        }

        @Override
        public PlcSubscriptionTag getTag(String name) {
            return request.getTag(name);
        }

        @Override
        public PlcResponseCode getResponseCode(String name) {
            return codes.getOrDefault(name, PlcResponseCode.NOT_FOUND);
        }
    }

    /** One Milo subscription: turns its data change notifications into events for the registered consumers. */
    static final class Handle implements PlcSubscriptionHandle, UaSubscription.NotificationListener {
        private static final AtomicInteger IDS = new AtomicInteger();
        private final OpcuaConnection connection;
        private final UaSubscription subscription;
        private final Map<UInteger, String> names;
        private final Map<String, Tag> tags;
        private final PlcReadRequest asRead;
        private final Set<Consumer<PlcSubscriptionEvent>> consumers = new CopyOnWriteArraySet<>();

        Handle(OpcuaConnection connection, UaSubscription subscription, Map<UInteger, String> names, Map<String, Tag> tags) {
            this.connection = connection;
            this.subscription = subscription;
            this.names = Map.copyOf(names);
            this.tags = tags;
            TagReadRequest.Builder<OpcuaTag> read = new TagReadRequest.Builder<>(connection.syntax(),
                    t -> timeoutMs -> {
                        throw new PlcUnsupportedOperationException("a subscription event is not a request to execute");
                    });
            tags.forEach((name, tag) -> read.addTag(name, tag.tag()));
            this.asRead = read.build();
        }

        UaSubscription subscription() {
            return subscription;
        }

        @Override
        public PlcConsumerRegistration register(Consumer<PlcSubscriptionEvent> consumer) {
            consumers.add(consumer);
            int id = IDS.incrementAndGet();
            Handle self = this;
            return new PlcConsumerRegistration() {
                @Override
                public Integer getConsumerId() {
                    return id;
                }

                @Override
                public List<PlcSubscriptionHandle> getSubscriptionHandles() {
                    return List.of(self);
                }

                @Override
                public void unregister() {
                    consumers.remove(consumer);
                }
            };
        }

        @Override
        public void onDataChangeNotification(UaSubscription s, List<UaMonitoredItem> items, List<DataValue> values, DateTime publishTime) {
            Map<String, PlcResponseCode> codes = new LinkedHashMap<>();
            Map<String, PlcValue> read = new LinkedHashMap<>();
            for (int i = 0; i < items.size() && i < values.size(); i++) {
                String name = names.get(items.get(i).getClientHandle());
                if (name != null) {
                    codes.remove(name); // the latest of a tag's queued changes wins, in order
                    OpcuaReader.read(connection, name, tags.get(name).tag(), values.get(i), codes, read);
                }
            }
            if (codes.isEmpty()) {
                return;
            }
            ChangeEvent event = new ChangeEvent(asRead, codes, read, publishTime == null ? Instant.now() : publishTime.getJavaInstant());
            for (Consumer<PlcSubscriptionEvent> consumer : consumers) {
                consumer.accept(event);
            }
        }

        @Override
        public void onSubscriptionWatchdogTimerElapsed(UaSubscription s) {
            connection.lost("no publish answer from the server in time (subscription watchdog)");
        }
    }

    /** Changed tags of one publish answer, read like a read response. */
    static final class ChangeEvent extends ReadResults implements PlcSubscriptionEvent {
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

    /** PLC4X's unsubscription builder. */
    static final class UnsubscribeBuilder implements PlcUnsubscriptionRequest.Builder {
        private final OpcuaConnection connection;
        private final List<PlcSubscriptionHandle> handles = new ArrayList<>();

        UnsubscribeBuilder(OpcuaConnection connection) {
            this.connection = connection;
        }

        @Override
        public PlcUnsubscriptionRequest build() {
            return new Unsubscribe(connection, List.copyOf(handles));
        }

        @Override
        public UnsubscribeBuilder addHandles(PlcSubscriptionHandle handle) {
            handles.add(handle);
            return this;
        }

        @Override
        public UnsubscribeBuilder addHandles(PlcSubscriptionHandle handle, PlcSubscriptionHandle... more) {
            handles.add(handle);
            handles.addAll(List.of(more));
            return this;
        }

        @Override
        public UnsubscribeBuilder addHandles(Collection<PlcSubscriptionHandle> more) {
            handles.addAll(more);
            return this;
        }
    }

    /** Deletes the handles' subscriptions (each once), on the thread that waits. */
    record Unsubscribe(OpcuaConnection connection, List<PlcSubscriptionHandle> handles) implements PlcUnsubscriptionRequest {
        @Override
        public List<PlcSubscriptionHandle> getSubscriptionHandles() {
            return handles;
        }

        @Override
        public CompletableFuture<PlcUnsubscriptionResponse> execute() {
            Unsubscribe request = this;
            return new CallerRunsFuture<>(timeoutMs -> {
                OpcUaClient client = connection.client();
                for (PlcSubscriptionHandle handle : new LinkedHashSet<>(handles)) {
                    if (handle instanceof Handle h) {
                        h.consumers.clear();
                        connection.call(client.getSubscriptionManager().deleteSubscription(h.subscription().getSubscriptionId()),
                                timeoutMs, "DeleteSubscriptions");
                    }
                }
                return new Unsubscribed(request);
            }, connection.settings().requestTimeoutMs());
        }
    }

    /** The answer to an unsubscription: nothing but the request. */
    record Unsubscribed(PlcUnsubscriptionRequest getRequest) implements PlcUnsubscriptionResponse {
    }
}
