package site.gateway.support.plcdriver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.apache.plc4x.java.api.model.PlcTag;
import org.apache.plc4x.java.api.types.PlcResponseCode;

/**
 * The named tags of a request, in the order they were added, and the getters PLC4X's read and subscription requests
 * share. {@code T} is the tag type the request's interface returns.
 */
public abstract class NamedTags<T extends PlcTag> {
    private final Map<String, T> tags;

    /** {@code tags}: the request's own ordered copy, kept as it is (read-only from here). */
    protected NamedTags(Map<String, ? extends T> tags) {
        this.tags = Collections.unmodifiableMap(tags);
    }

    public int getNumberOfTags() {
        return tags.size();
    }

    public LinkedHashSet<String> getTagNames() {
        return new LinkedHashSet<>(tags.keySet());
    }

    public PlcResponseCode getTagResponseCode(String name) {
        return tags.containsKey(name) ? PlcResponseCode.OK : PlcResponseCode.NOT_FOUND;
    }

    public T getTag(String name) {
        return tags.get(name);
    }

    public List<T> getTags() {
        return new ArrayList<>(tags.values());
    }
}
