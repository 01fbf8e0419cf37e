package site.gateway.plc.opcua;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.plc4x.java.api.exceptions.PlcUnsupportedOperationException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.model.PlcConsumerRegistration;
import org.apache.plc4x.java.api.model.PlcSubscriptionHandle;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.value.PlcValue;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;

import site.gateway.support.plcdriver.TagReadRequest;

/** One Milo subscription: turns its data change notifications into events for the registered consumers. */
final class SubscriptionHandle implements PlcSubscriptionHandle, UaSubscription.NotificationListener {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final OpcuaConnection connection;
    private final UaSubscription subscription;
    private final Map<UInteger, String> names;
    private final Map<String, SubscribedTag> tags;
    private final PlcReadRequest asRead;
    private final Set<Consumer<PlcSubscriptionEvent>> consumers = new CopyOnWriteArraySet<>();

    SubscriptionHandle(OpcuaConnection connection, UaSubscription subscription, Map<UInteger, String> names,
            Map<String, SubscribedTag> tags) {
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

    /** Drops every consumer (the subscription is being deleted): no event reaches them any more. */
    void unregisterAll() {
        consumers.clear();
    }

    @Override
    public PlcConsumerRegistration register(Consumer<PlcSubscriptionEvent> consumer) {
        consumers.add(consumer);
        int id = IDS.incrementAndGet();
        SubscriptionHandle self = this;
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
