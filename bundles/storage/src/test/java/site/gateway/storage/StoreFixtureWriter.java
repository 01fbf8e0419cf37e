package site.gateway.storage;

import java.nio.file.Files;
import java.nio.file.Path;

import site.gateway.api.outbox.MessageType;

/**
 * Writes the committed fixture {@code src/test/resources/fixtures/outbox-format1/} that
 * {@link PreviousFormatStoreTest} reads: seq 1 telemetry, 2 command.result, 3 alert, 4 telemetry, and
 * seq 1 acknowledged, so seqs 2 to 4 remain. The committed files were written by the store of commit
 * 7a2e203, which stored the enum ordinal as the message kind. Do not regenerate them with a newer store:
 * the test would then no longer prove that a store written by that version still reads. Run from
 * bundles/storage with the test classpath:
 * {@code java -cp target/classes:target/test-classes:<dependencies> site.gateway.storage.StoreFixtureWriter <dir>}.
 */
final class StoreFixtureWriter {
    static final long CREATED_AT = 1_764_259_201_000L;

    private StoreFixtureWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (OutboxStore store = OutboxStore.open(dir, OutboxStoreTest.ROOMY, () -> CREATED_AT)) {
            store.append(MessageType.TELEMETRY, Messages.telemetry(1));
            store.append(MessageType.COMMAND_RESULT, commandResult(2));
            store.append(MessageType.ALERT, Messages.alert(3));
            store.append(MessageType.TELEMETRY, Messages.telemetry(4));
            store.acknowledge(1);
            store.flush();
        }
    }

    static byte[] commandResult(long n) {
        return ("{\"type\":\"command.result\",\"tenantId\":\"acme\",\"gatewayId\":\"gw-madrid-01\","
                + "\"commandId\":\"c-1\",\"status\":\"succeeded\",\"n\":" + n + ",\"ts\":1764259201000}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
