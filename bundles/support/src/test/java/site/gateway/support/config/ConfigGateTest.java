package site.gateway.support.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;
import org.slf4j.LoggerFactory;

class ConfigGateTest {
    private static final String PID = "gateway.example";

    private record Settings(int port) {
        static Settings from(String port) {
            int p = Integer.parseInt(port); // NumberFormatException is an IllegalArgumentException
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + p);
            }
            return new Settings(p);
        }
    }

    private final List<String> audited = new ArrayList<>();
    private final ConfigGate<Settings> gate = new ConfigGate<>(PID, LoggerFactory.getLogger(ConfigGateTest.class),
            audited::add);

    @Test
    void aValidFirstConfigurationIsUsedAndNotAudited() {
        assertThat(gate.first(() -> Settings.from("8080"))).isEqualTo(new Settings(8080));
        assertThat(audited).isEmpty();
    }

    @Test
    void anInvalidFirstConfigurationKeepsTheComponentOutOfServiceAndIsAudited() {
        assertThatThrownBy(() -> gate.first(() -> Settings.from("0")))
                .isInstanceOf(ComponentException.class)
                .hasMessageContaining(PID)
                .hasMessageContaining("port must be 1..65535, got 0")
                .hasMessageContaining("not started");
        assertThat(audited).containsExactly("port must be 1..65535, got 0");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedLikeAnInvalidValue() {
        // What Felix SCR throws when a configuration method's value cannot be converted to its return type
        ComponentException wrongType = new ComponentException(new NumberFormatException("For input string: \"abc\""));
        assertThatThrownBy(() -> gate.first(() -> {
            throw wrongType;
        })).isInstanceOf(ComponentException.class).hasMessageContaining(PID).hasCause(wrongType);
        assertThat(audited).singleElement().asString().contains("abc");

        assertThat(gate.check(() -> {
            throw wrongType;
        }, "the previous one")).isEmpty();
        assertThat(audited).hasSize(2);
    }

    @Test
    void anInvalidUpdateIsAuditedAndGivesNothingSoTheLastGoodSettingsStay() {
        Settings running = gate.first(() -> Settings.from("8080"));

        Optional<Settings> refused = gate.check(() -> Settings.from("70000"), "port " + running.port());
        Settings inForce = refused.orElse(running);

        assertThat(refused).isEmpty();
        assertThat(inForce).isEqualTo(new Settings(8080));
        assertThat(audited).containsExactly("port must be 1..65535, got 70000");
    }

    @Test
    void aValidUpdateIsGivenAndNotAudited() {
        assertThat(gate.check(() -> Settings.from("9090"), "the previous one")).contains(new Settings(9090));
        assertThat(audited).isEmpty();
    }

    @Test
    void oneMethodForActivateAndModifiedRefusesAnInvalidFirstConfigurationAndKeepsTheLastGoodAfter() {
        assertThatThrownBy(() -> gate.settings(true, () -> Settings.from("0"))).isInstanceOf(ComponentException.class);
        assertThat(gate.settings(true, () -> Settings.from("80"))).contains(new Settings(80));
        assertThat(gate.settings(false, () -> Settings.from("0"))).isEmpty();
        assertThat(gate.settings(false, () -> Settings.from("81"))).contains(new Settings(81));
        assertThat(audited).hasSize(2);
    }

    @Test
    void aFailingAuditDoesNotHideTheRejection() {
        ConfigGate<Settings> failingAudit = new ConfigGate<>(PID, LoggerFactory.getLogger(ConfigGateTest.class),
                reason -> {
                    throw new IllegalStateException("audit trail stopping");
                });

        assertThatThrownBy(() -> failingAudit.first(() -> Settings.from("x"))).isInstanceOf(ComponentException.class)
                .hasMessageContaining("For input string");
        assertThat(failingAudit.check(() -> Settings.from("x"), "the previous one")).isEmpty();
    }

    @Test
    void otherFailuresAreBugsAndGoThrough() {
        assertThatThrownBy(() -> gate.first(() -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(audited).isEmpty();
    }
}
