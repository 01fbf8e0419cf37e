package site.gateway.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.crypto.E2eCommandKeys;
import site.gateway.sandbox.CommandSigner;
import site.gateway.sandbox.pki.CommandKey;
import site.gateway.sandbox.pki.PemIo;
import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;

/**
 * Verification with the keys the crypto bundle loads from {@code <kid>.pem} files: a new, replaced or
 * removed file changes which commands are accepted, without restarting anything.
 */
class KeyFilesTest {
    @TempDir
    Path dir;

    @Test
    void keysFollowTheirPemFiles() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("command-keys"));
        CommandKey first = CommandKey.generate("wms-cmd-2026");
        CommandKey second = CommandKey.generate("wms-cmd-2026");
        Path pem = folder.resolve("wms-cmd-2026.pem");
        FixedIdentity identity = new FixedIdentity("acme", "gw-1");
        FakePlcRegistry plcs = new FakePlcRegistry().plc("plc-1", "t");
        try (E2eCommandKeys keys = new E2eCommandKeys(folder, 100)) {
            CommandService service = new CommandService(keys, identity, plcs, new MemoryOutbox(),
                    Converters.standardConverter().convert(Map.of("replayCacheDirectory", dir.resolve("replay").toString()))
                            .to(CommandsConfig.class), Clock.systemUTC());
            try {
                assertThat(reason(service, first, "c-1")).as("no file yet").isEqualTo("unknown-key");

                PemIo.write(pem, PemIo.publicKeyPem(first.publicKey()), false);
                await().atMost(Duration.ofSeconds(10)).until(() -> keys.key("wms-cmd-2026").isPresent());
                assertThat(reason(service, first, "c-2")).isEqualTo("accepted");

                PemIo.write(pem, PemIo.publicKeyPem(second.publicKey()), false);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> keys.key("wms-cmd-2026").orElseThrow().equals(second.publicKey()));
                assertThat(reason(service, first, "c-3")).isEqualTo("bad-signature");
                assertThat(reason(service, second, "c-4")).isEqualTo("accepted");

                Files.delete(pem);
                await().atMost(Duration.ofSeconds(10)).until(() -> keys.key("wms-cmd-2026").isEmpty());
                assertThat(reason(service, second, "c-5")).isEqualTo("unknown-key");
            } finally {
                service.deactivate();
            }
        }
    }

    private static String reason(CommandService service, CommandKey key, String id) throws Exception {
        long now = System.currentTimeMillis();
        ObjectNode command = Json.object();
        command.put("type", "command").put("commandId", id).put("tenantId", "acme").put("gatewayId", "gw-1")
                .put("plcId", "plc-1").put("kind", "move").put("issuedAt", now).put("expiresAt", now + 60_000)
                .put("kid", key.kid());
        command.putObject("payload").putArray("writes").addObject().put("tag", "t").put("value", 1);
        var reply = Json.MAPPER.readTree(service.handle(Json.write(new CommandSigner(key).sign(command))));
        return reply.path("accepted").asBoolean() ? "accepted" : reply.path("reason").asText();
    }
}
