package site.gateway.api.status;

import org.osgi.annotation.versioning.ProviderType;

/** Raises alerts: each becomes a durable {@code alert} message in the outbox and a log line. */
@ProviderType
public interface Alerts {
    void raise(Alert alert);
}
