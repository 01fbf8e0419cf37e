package site.gateway.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import site.gateway.api.status.Alert;
import site.gateway.api.status.Alerts;

/** Keeps every raised alert, in order. */
public final class RecordingAlerts implements Alerts {
    public final List<Alert> raised = new CopyOnWriteArrayList<>();

    @Override
    public void raise(Alert alert) {
        raised.add(alert);
    }

    /** The alerts raised with this code, in order. */
    public List<Alert> withCode(String code) {
        return raised.stream().filter(a -> a.code().equals(code)).toList();
    }
}
