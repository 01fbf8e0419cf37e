package site.gateway.transport;

import java.util.Map;

import site.gateway.api.crypto.TlsContextGeneration;

/** What the crypto bundle's {@link TlsContextGeneration} marker says: the current context and whether its pair is on trial. */
record TlsContextState(long generation, boolean pairOnTrial) {

    /** From the marker's service properties; missing or mistyped ones count as generation 0, not on trial. */
    static TlsContextState of(Map<String, ?> properties) {
        Object generation = properties.get(TlsContextGeneration.GENERATION);
        Object trial = properties.get(TlsContextGeneration.PAIR_ON_TRIAL);
        return new TlsContextState(generation instanceof Long g ? g : 0, Boolean.TRUE.equals(trial));
    }

    void applyTo(SessionEngine engine) {
        engine.tlsChanged(generation, pairOnTrial);
    }
}
