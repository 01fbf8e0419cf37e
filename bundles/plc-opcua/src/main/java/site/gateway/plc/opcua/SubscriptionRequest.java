package site.gateway.plc.opcua;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionResponse;
import org.apache.plc4x.java.api.model.PlcSubscriptionTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

import site.gateway.support.plcdriver.CallerRunsFuture;
import site.gateway.support.plcdriver.NamedTags;

/**
 * A PLC4X subscription request as OPC UA monitored items, executed on the thread that waits for it: one Milo
 * subscription per request, publishing at the shortest interval its tags ask for, one monitored item per tag sampled
 * at its interval (a cyclic tag's duration; change-of-state tags {@link SubscriptionRequestBuilder#CHANGE_OF_STATE_INTERVAL},
 * PLC4X's default), reporting changes of value or status (the server's default filter). Each publish answer with
 * changes is one {@link ChangeEvent} with the changed tags, on Milo's executor ({@link SubscriptionHandle}). Events
 * (value changes) only: no OPC UA events or alarms. Built by {@link SubscriptionRequestBuilder}, ended by
 * {@link UnsubscriptionRequest}.
 */
final class SubscriptionRequest extends NamedTags<PlcSubscriptionTag> implements PlcSubscriptionRequest {
    private final OpcuaConnection connection;
    private final Map<String, SubscribedTag> tags;
    private final Map<String, Consumer<PlcSubscriptionEvent>> tagConsumers;
    private final Consumer<PlcSubscriptionEvent> consumer;

    /** {@code tags}: the request's own ordered copy. */
    SubscriptionRequest(OpcuaConnection connection, LinkedHashMap<String, SubscribedTag> tags,
            Map<String, Consumer<PlcSubscriptionEvent>> tagConsumers, Consumer<PlcSubscriptionEvent> consumer) {
        super(tags);
        this.connection = connection;
        this.tags = tags;
        this.tagConsumers = Map.copyOf(tagConsumers);
        this.consumer = consumer;
    }

    /** Whether the request has a tag of that name. */
    boolean has(String name) {
        return tags.containsKey(name);
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
        for (Map.Entry<String, SubscribedTag> entry : tags.entrySet()) {
            UInteger handle = subscription.nextClientHandle();
            byHandle.put(handle, entry.getKey());
            SubscribedTag tag = entry.getValue();
            items.add(new MonitoredItemCreateRequest(
                    new ReadValueId(tag.tag().nodeId(), AttributeId.Value.uid(), null, QualifiedName.NULL_VALUE),
                    MonitoringMode.Reporting,
                    new MonitoringParameters(handle, (double) tag.interval().toMillis(), null, uint(1), true)));
        }
        SubscriptionHandle handle = new SubscriptionHandle(connection, subscription, byHandle, tags);
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
        return new SubscriptionResponse(this, codes, handle);
    }

    private static long remaining(long deadline) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
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
