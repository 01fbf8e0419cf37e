package site.gateway.console;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.status.StatusSnapshot;

/** The JSON the Gateway page redraws from ({@code /system/console/gateway/live.json} and the copy in the page). */
final class LiveData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveData() {
    }

    static String json(long now, StatusSnapshot status, List<CheckLine> health, History.Samples history) {
        ObjectNode root = JSON.createObjectNode();
        root.put("now", now);
        root.put("state", status == null ? "unknown" : status.state().wireName());
        if (health != null) {
            ArrayNode lines = root.putArray("health");
            health.forEach(l -> lines.addObject().put("name", l.name()).put("status", l.status()).put("message", l.message()));
        }
        ObjectNode h = root.putObject("history");
        ArrayNode ts = h.putArray("ts");
        ArrayNode rate = h.putArray("rate");
        ArrayNode depth = h.putArray("depth");
        if (history != null) {
            for (int i = 0; i < history.ts().length; i++) {
                ts.add(history.ts()[i]);
                if (Double.isNaN(history.rate()[i])) {
                    rate.addNull();
                } else {
                    rate.add(Math.round(history.rate()[i] * 100) / 100.0);
                }
                depth.add(history.depth()[i]);
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("live data not serialisable", e);
        }
    }

    /** The JSON made safe inside an HTML {@code <script>} element (no {@code </script>} can close it early). */
    static String forScriptElement(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}
