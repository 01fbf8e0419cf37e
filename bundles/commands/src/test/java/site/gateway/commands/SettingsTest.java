package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentException;
import org.osgi.util.converter.Converters;

/** Configuration gateway.commands: defaults, validation, and changes while running. */
class SettingsTest {
    @TempDir
    Path dir;
    Fixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void theMetaTypeDefaultsAreValid() {
        Settings defaults = Settings.of(config(Map.of()));
        assertThat(defaults.clockSkew().toSeconds()).isEqualTo(30);
        assertThat(defaults.maxLifetime().toSeconds()).isEqualTo(600);
        assertThat(defaults.configAllowList()).isEmpty();
    }

    @Test
    void relativeDirectoryIsUnderGatewayHome() {
        String previous = System.getProperty("gateway.home");
        System.setProperty("gateway.home", dir.toString());
        try {
            assertThat(Settings.of(config(Map.of())).replayCacheDirectory()).isEqualTo(dir.resolve("data/commands"));
        } finally {
            if (previous == null) {
                System.clearProperty("gateway.home");
            } else {
                System.setProperty("gateway.home", previous);
            }
        }
    }

    @Test
    void invalidValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> Settings.of(config(Map.of("queueCapacity", 0)))).hasMessageContaining("queueCapacity");
        assertThatThrownBy(() -> Settings.of(config(Map.of("clockSkewSeconds", -1)))).hasMessageContaining("clockSkewSeconds");
        assertThatThrownBy(() -> Settings.of(config(Map.of("maxLifetimeSeconds", 0)))).hasMessageContaining("maxLifetimeSeconds");
        assertThatThrownBy(() -> Settings.of(config(Map.of("commandTimeoutMs", 0)))).hasMessageContaining("commandTimeoutMs");
    }

    private static CommandsConfig config(Map<String, Object> map) {
        return Converters.standardConverter().convert(map).to(CommandsConfig.class);
    }

    @Test
    void anInvalidChangeKeepsTheLastGoodConfiguration() throws IOException {
        f = new Fixture(dir).with("clockSkewSeconds", 5).start();
        f.service.modified(f.with("clockSkewSeconds", -3).config());
        var c = f.move("c-1");
        c.put("issuedAt", Fixture.T0 - 60_000);
        c.put("expiresAt", Fixture.T0 - 5_001);
        assertThat(f.sendSigned(c).path("reason").asText()).isEqualTo("expired");
        assertThat(f.audit.events).anyMatch(e -> e.action().equals("config.rejected") && e.outcome().equals("rejected"));
    }

    @Test
    void anInvalidFirstConfigurationAcceptsNoCommandAtAll() {
        Fixture refused = new Fixture(dir).with("clockSkewSeconds", -3);
        assertThatThrownBy(refused::start).isInstanceOf(ComponentException.class)
                .hasMessageContaining(CommandsConfig.PID).hasMessageContaining("clockSkewSeconds");
    }

    @Test
    void skewAndLifetimeChangeLive() throws IOException {
        f = new Fixture(dir).start();
        var c = f.move("c-1");
        c.put("expiresAt", Fixture.T0 + 120_000);
        f.service.modified(f.with("maxLifetimeSeconds", 60).config());
        assertThat(f.sendSigned(c).path("reason").asText()).isEqualTo("invalid-payload");
        f.service.modified(f.with("maxLifetimeSeconds", 120).config());
        assertThat(f.sendSigned(c).path("accepted").asBoolean()).isTrue();
    }

    @Test
    void aNewReplayDirectoryIsOpenedLiveAndKeepsTheAcceptedIds() throws IOException {
        f = new Fixture(dir).start();
        String first = f.signed(f.move("c-1"));
        assertThat(f.send(first).path("accepted").asBoolean()).isTrue();
        Path other = dir.resolve("elsewhere");
        f.service.modified(f.with("replayCacheDirectory", other.toString()).config());
        assertThat(f.sendSigned(f.move("c-2")).path("accepted").asBoolean()).isTrue();
        assertThat(Files.readString(other.resolve(ReplayCache.FILE_NAME))).contains(" c-1\n").contains(" c-2\n");
        f.restart();
        assertThat(f.send(first).path("reason").asText()).isEqualTo("replayed");
    }
}
