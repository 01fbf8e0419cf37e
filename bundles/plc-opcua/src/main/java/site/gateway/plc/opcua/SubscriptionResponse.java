package site.gateway.plc.opcua;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionResponse;
import org.apache.plc4x.java.api.model.PlcSubscriptionHandle;
import org.apache.plc4x.java.api.model.PlcSubscriptionTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/** The answer to a {@link SubscriptionRequest}: a code per tag and one handle for them all. */
record SubscriptionResponse(SubscriptionRequest request, Map<String, PlcResponseCode> codes, SubscriptionHandle handle)
        implements PlcSubscriptionResponse {
    @Override
    public PlcSubscriptionRequest getRequest() {
        return request;
    }

    @Override
    public PlcSubscriptionHandle getSubscriptionHandle(String name) {
        return request.has(name) ? handle : null;
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
