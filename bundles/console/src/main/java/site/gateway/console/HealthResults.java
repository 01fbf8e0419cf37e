package site.gateway.console;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs the gateway's health checks (tag {@code gateway}) through Felix's executor for the Gateway page. Kept
 * apart from the page: without the health feature its package is missing and only this component stays off.
 */
@Component(service = HealthResults.class)
public class HealthResults {
    static final String TAG = "gateway";

    private final HealthCheckExecutor executor;

    @Activate
    public HealthResults(@Reference HealthCheckExecutor executor) {
        this.executor = executor;
    }

    List<CheckLine> run() {
        List<CheckLine> lines = new ArrayList<>();
        for (HealthCheckExecutionResult result : executor.execute(HealthCheckSelector.tags(TAG))) {
            List<String> messages = new ArrayList<>();
            for (ResultLog.Entry entry : result.getHealthCheckResult()) {
                if (!entry.isDebug()) {
                    messages.add(entry.getMessage());
                }
            }
            lines.add(new CheckLine(result.getHealthCheckMetadata().getName(),
                    result.getHealthCheckResult().getStatus().name(), String.join("; ", messages)));
        }
        return lines;
    }
}
