package site.gateway.audit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentException;
import org.osgi.util.converter.Converters;

import site.gateway.api.status.Alert;
import site.gateway.api.status.Severity;

class ComponentTest {
    @TempDir
    Path home;

    static AuditConfig config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(properties).to(AuditConfig.class);
    }

    @Test
    void directoryIsRelativeToGatewayHomeAndAChangeMovesTheTrailLive() throws Exception {
        AuditTrailComponent component = new AuditTrailComponent(home.toString(), config(Map.of("directory", "trail")));
        component.record("operator", "test.first", "x", "ok");
        await().atMost(10, SECONDS).until(() -> Trail.withAction(home.resolve("trail"), "test.first").size() == 1);

        component.modified(config(Map.of("directory", "moved", "maxFileBytes", 8192)));
        component.record("operator", "test.second", "x", "ok");
        component.deactivate();

        assertThat(Trail.withAction(home.resolve("moved"), "test.second")).hasSize(1);
        assertThat(Trail.withAction(home.resolve("trail"), "test.second")).isEmpty();
        assertThat(AuditVerifier.verify(home.resolve("trail")).report()).startsWith("OK 4 entries")
                .doesNotContain("not audit.stopped");
        assertThat(AuditVerifier.verify(home.resolve("moved")).ok()).isTrue();
        assertThat(Trail.withAction(home.resolve("trail"), "audit.key-created")).as("first start made the key")
                .singleElement().asString().contains(AuditTrailComponent.DEFAULT_MAC_KEY);
        Path key = home.resolve(AuditTrailComponent.DEFAULT_MAC_KEY);
        assertThat(AuditVerifier.verify(home.resolve("trail"), key).ok()).as("entries MACed with the default key").isTrue();
    }

    /** Issue 13 point 4: with the shipped retention, a flood of entries grows the trail by a bounded amount. */
    @Test
    void theDefaultRetentionBoundsTheTrail() throws Exception {
        long fileBytes = 8192;
        AuditTrailComponent component = new AuditTrailComponent(home.toString(),
                config(Map.of("directory", "trail", "maxFileBytes", fileBytes)));
        String detail = "x".repeat(200);
        for (int i = 0; i < 5_000; i++) { // about 2 MB, some 250 files of 8 KB without retention
            component.record("wms", "command.rejected", "c-" + i, "rejected", Map.of("detail", detail));
        }
        component.deactivate();

        long bytes;
        try (var files = java.nio.file.Files.list(home.resolve("trail"))) {
            bytes = files.mapToLong(f -> f.toFile().length()).sum();
        }
        int maxFiles = config(Map.of()).maxFiles();
        assertThat(maxFiles).as("a bounded default").isPositive();
        assertThat(bytes).isLessThanOrEqualTo((maxFiles + 1) * fileBytes);
        assertThat(AuditVerifier.verify(home.resolve("trail")).ok()).isTrue();
    }

    @Test
    void invalidChangeIsAuditedAndTheLastGoodSettingsStay() throws Exception {
        AuditTrailComponent component = new AuditTrailComponent(home.toString(), config(Map.of("directory", "trail")));
        component.modified(config(Map.of("directory", "elsewhere", "maxFileBytes", 10)));
        component.record("operator", "test.after", "x", "ok");
        component.deactivate();

        assertThat(Trail.withAction(home.resolve("trail"), "config.rejected")).singleElement()
                .satisfies(e -> assertThat(e.get("details").get("reason").asText()).contains("maxFileBytes"));
        assertThat(Trail.withAction(home.resolve("trail"), "test.after")).hasSize(1);
        assertThat(home.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void anInvalidFirstConfigurationKeepsTheTrailOutOfService() {
        assertThatThrownBy(() -> new AuditTrailComponent(home.toString(), config(Map.of("maxFileBytes", 10))))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(AuditConfig.PID).hasMessageContaining("maxFileBytes");
        assertThat(home.resolve("data/audit")).as("no trail written on settings nobody chose").doesNotExist();
    }

    @Test
    void degradationBecomesAnAuditDegradedAlert() {
        AuditTrailComponent component = new AuditTrailComponent(home.toString(), config(Map.of()));
        List<Alert> raised = new CopyOnWriteArrayList<>();
        component.alerts = raised::add;
        component.degraded("disk full", true);
        component.degraded("queue full", false);
        component.deactivate();

        assertThat(raised).extracting(Alert::code).containsOnly("audit.degraded");
        assertThat(raised).extracting(Alert::severity).containsExactly(Severity.CRITICAL, Severity.WARNING);
        assertThat(raised.get(0).fields()).containsEntry("directory", home.resolve("data/audit").toString());
    }
}
