package site.gateway.plc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.messages.PlcSubscriptionEvent;
import org.apache.plc4x.java.api.messages.PlcSubscriptionRequest;
import org.apache.plc4x.java.api.messages.PlcSubscriptionResponse;
import org.apache.plc4x.java.api.model.PlcSubscriptionHandle;
import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change-of-state subscriptions for the tags of one PLC on one connection, for drivers that offer them.
 * All or nothing: if the PLC refuses any tag, nothing is subscribed and the caller keeps polling.
 */
final class ChangeSubscription {
    /** The outcome: {@code handles} when subscribed, else {@code refusal} says why not. */
    record Outcome(Collection<PlcSubscriptionHandle> handles, String refusal) {
        boolean active() {
            return refusal == null;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChangeSubscription.class);

    private ChangeSubscription() {
    }

    /** Subscribes {@code tags} (name → parsed tag); events go to {@code consumer} on the driver's thread. */
    static Outcome open(PlcConnection connection, Map<String, PlcTag> tags, long timeoutMs,
            Consumer<PlcSubscriptionEvent> consumer) {
        if (!connection.getMetadata().isSubscribeSupported()) {
            return refused("the driver cannot subscribe");
        }
        if (tags.isEmpty()) {
            return refused("no tag has an address the driver understands");
        }
        try {
            PlcSubscriptionRequest.Builder builder = connection.subscriptionRequestBuilder();
            tags.forEach(builder::addChangeOfStateTag);
            PlcSubscriptionResponse response = builder.build().execute().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<String> refusedTags = new ArrayList<>();
            for (String name : tags.keySet()) {
                if (response.getResponseCode(name) != PlcResponseCode.OK) {
                    refusedTags.add(name + " (" + response.getResponseCode(name) + ")");
                }
            }
            if (!refusedTags.isEmpty()) {
                close(connection, response.getSubscriptionHandles(), timeoutMs);
                return refused("the PLC refused " + refusedTags);
            }
            Collection<PlcSubscriptionHandle> handles = response.getSubscriptionHandles();
            for (PlcSubscriptionHandle handle : handles) {
                handle.register(consumer);
            }
            return new Outcome(List.copyOf(handles), null);
        } catch (TimeoutException e) {
            return refused("no answer within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused("interrupted");
        } catch (ExecutionException | RuntimeException e) {
            return refused(Connector.describe(e));
        }
    }

    /** Best effort, bounded: a connection about to be closed ends its subscriptions anyway. */
    static void close(PlcConnection connection, Collection<PlcSubscriptionHandle> handles, long timeoutMs) {
        if (handles == null || handles.isEmpty() || !connection.isConnected()) {
            return;
        }
        try {
            connection.unsubscriptionRequestBuilder().addHandles(handles).build().execute()
                    .get(Math.min(timeoutMs, 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("unsubscribing failed: {}", e.toString());
        }
    }

    private static Outcome refused(String why) {
        return new Outcome(List.of(), why);
    }
}
