package site.gateway.api.crypto;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Marker service: registered by the crypto bundle while it offers a {@link TlsContextProvider}; its service
 * properties say which TLS context is current and are updated in place when the context changes (new key,
 * certificate, anchors or CRL). A holder of connections references it (dynamic, greedy) with an
 * {@code updated} method and reads the properties: one that binds late reads the current state instead of
 * waiting for the next change. Nothing is called back: the crypto bundle does not know who is watching.
 *
 * @since 2.0
 */
@ProviderType
public interface TlsContextGeneration {

    /** Service property ({@code Long}): {@link TlsContextProvider#generation()} of the current context, 0 for none. */
    String GENERATION = "generation";

    /**
     * Service property ({@code Boolean}): the current context was built with a renewed client pair on trial
     * (§2.3, §5). A holder registers again over new TLS connections, so that the WMS accepts or refuses it.
     */
    String PAIR_ON_TRIAL = "pairOnTrial";
}
