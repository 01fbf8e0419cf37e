package site.gateway.plc.opcua;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.plc4x.java.api.messages.PlcUnsubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcUnsubscriptionResponse;
import org.apache.plc4x.java.api.model.PlcSubscriptionHandle;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;

import site.gateway.support.plcdriver.CallerRunsFuture;

/** Deletes the handles' subscriptions (each once), on the thread that waits. */
record UnsubscriptionRequest(OpcuaConnection connection, List<PlcSubscriptionHandle> handles) implements PlcUnsubscriptionRequest {
    @Override
    public List<PlcSubscriptionHandle> getSubscriptionHandles() {
        return handles;
    }

    @Override
    public CompletableFuture<PlcUnsubscriptionResponse> execute() {
        UnsubscriptionRequest request = this;
        return new CallerRunsFuture<>(timeoutMs -> {
            OpcUaClient client = connection.client();
            for (PlcSubscriptionHandle handle : new LinkedHashSet<>(handles)) {
                if (handle instanceof SubscriptionHandle h) {
                    h.unregisterAll();
                    connection.call(client.getSubscriptionManager().deleteSubscription(h.subscription().getSubscriptionId()),
                            timeoutMs, "DeleteSubscriptions");
                }
            }
            return new Unsubscribed(request);
        }, connection.settings().requestTimeoutMs());
    }

    /** The answer to an unsubscription: nothing but the request. */
    record Unsubscribed(PlcUnsubscriptionRequest getRequest) implements PlcUnsubscriptionResponse {
    }

    /** PLC4X's unsubscription builder. */
    static final class Builder implements PlcUnsubscriptionRequest.Builder {
        private final OpcuaConnection connection;
        private final List<PlcSubscriptionHandle> handles = new ArrayList<>();

        Builder(OpcuaConnection connection) {
            this.connection = connection;
        }

        @Override
        public PlcUnsubscriptionRequest build() {
            return new UnsubscriptionRequest(connection, List.copyOf(handles));
        }

        @Override
        public Builder addHandles(PlcSubscriptionHandle handle) {
            handles.add(handle);
            return this;
        }

        @Override
        public Builder addHandles(PlcSubscriptionHandle handle, PlcSubscriptionHandle... more) {
            handles.add(handle);
            handles.addAll(List.of(more));
            return this;
        }

        @Override
        public Builder addHandles(Collection<PlcSubscriptionHandle> more) {
            handles.addAll(more);
            return this;
        }
    }
}
