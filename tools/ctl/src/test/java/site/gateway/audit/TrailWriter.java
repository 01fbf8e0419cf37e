package site.gateway.audit;

import java.nio.file.Path;
import java.util.Map;

import site.gateway.api.audit.AuditEvent;

/** Test helper of gateway-ctl: a real trail written by the audit bundle's writer (package-private there). */
public final class TrailWriter {
    private TrailWriter() {
    }

    public static void write(Path dir, int entries) {
        AuditWriter writer = new AuditWriter(new AuditWriter.Settings(dir, 4096, 0, 1000, 0, 50, null), (reason, failure) -> { });
        writer.start();
        for (int i = 0; i < entries; i++) {
            writer.submit(new AuditEvent("test", "test.op", "t-" + i, "ok", Map.of("i", i)));
        }
        writer.close();
    }
}
