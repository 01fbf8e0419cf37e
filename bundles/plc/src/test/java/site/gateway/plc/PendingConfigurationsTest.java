package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import site.gateway.api.plc.PlcState;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.plc.TagValue;
import site.gateway.api.plc.TagWrite;

/** Issue 12.2: the registry tells which configured PLCs are not running yet, so the first register can wait. */
class PendingConfigurationsTest {
    private final List<Configuration> configurations = new CopyOnWriteArrayList<>();

    @Test
    void aConfiguredPlcIsPendingUntilItRuns() {
        configurations.add(configuration("gateway.plc~line1", "line1"));
        configurations.add(configuration("gateway.plc~line2", null));
        PlcRegistryComponent registry = new PlcRegistryComponent(List.of(), configAdmin());
        assertThat(registry.pendingConfigurations()).containsExactlyInAnyOrder("line1", "gateway.plc~line2");

        PlcRegistryComponent withOne = new PlcRegistryComponent(List.of(running("line1")), configAdmin());
        assertThat(withOne.pendingConfigurations()).containsExactly("gateway.plc~line2");

        PlcRegistryComponent withBoth = new PlcRegistryComponent(List.of(running("line1"), running("gateway.plc~line2")),
                configAdmin());
        assertThat(withBoth.pendingConfigurations()).isEmpty();
    }

    @Test
    void withoutConfigAdminNothingIsPending() {
        assertThat(new PlcRegistryComponent(List.of()).pendingConfigurations()).isEmpty();
    }

    private ConfigurationAdmin configAdmin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConfigurationAdmin.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("listConfigurations")) {
                        assertThat((String) args[0]).isEqualTo("(service.factoryPid=gateway.plc)");
                        return configurations.isEmpty() ? null : configurations.toArray(new Configuration[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Configuration configuration(String pid, String plcId) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", pid);
        if (plcId != null) {
            properties.put("plcId", plcId);
        }
        return (Configuration) Proxy.newProxyInstance(PendingConfigurationsTest.class.getClassLoader(),
                new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getPid" -> pid;
                    case "getProperties" -> properties;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ManagedPlc running(String plcId) {
        return new ManagedPlc() {
            @Override
            public String plcId() {
                return plcId;
            }

            @Override
            public PlcStatus status() {
                return new PlcStatus(plcId, "simulated", PlcState.CONNECTED, 0, null);
            }

            @Override
            public Set<String> tags() {
                return Set.of();
            }

            @Override
            public site.gateway.api.plc.PlcReadStats readStats() {
                return null;
            }

            @Override
            public CompletionStage<List<TagValue>> read(List<String> tags, Duration timeout) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<List<TagWrite>> write(List<TagWrite> writes, Duration timeout) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.Map<String, site.gateway.api.plc.WritableTag> writableTags() {
                return java.util.Map.of();
            }
        };
    }
}
