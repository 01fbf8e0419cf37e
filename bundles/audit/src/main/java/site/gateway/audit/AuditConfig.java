package site.gateway.audit;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Gateway audit trail",
        description = "Append-only, hash-chained audit trail (JSON lines). Verify with: "
                + "java -cp site.gateway.audit.jar site.gateway.audit.AuditVerifier <directory>")
public @interface AuditConfig {
    String PID = "gateway.audit";

    @AttributeDefinition(name = "Directory",
            description = "Where the trail's files go; relative to the framework/system property gateway.home, "
                    + "else to the working directory.")
    String directory() default "data/audit";

    @AttributeDefinition(name = "Maximum file size (bytes)",
            description = "A file is closed and a new one started before it would grow past this; at least 4096.")
    long maxFileBytes() default 10L * 1024 * 1024;

    @AttributeDefinition(name = "Files kept",
            description = "Oldest files are deleted beyond this many (the deletion is itself audited); 0 keeps all. "
                    + "The default bounds the trail to 500 MB with the default file size.")
    int maxFiles() default 50;

    @AttributeDefinition(name = "Queue capacity",
            description = "Entries waiting for the writer; beyond this, entries are counted as lost and an "
                    + "audit.degraded alert is raised (callers never wait).")
    int queueCapacity() default 10_000;

    @AttributeDefinition(name = "Sync interval (ms)",
            description = "Lines are written to the file after every batch and forced to the device at most this "
                    + "often; 0 forces after every batch.")
    long syncIntervalMs() default 1000;

    @AttributeDefinition(name = "MAC key file",
            description = "Secret (32 random bytes, owner-only, created on first start) that authenticates every "
                    + "entry with HMAC-SHA256, so that the trail cannot be rewritten without it; relative to "
                    + "gateway.home. Verify with --key <file>. Empty: a plain SHA-256 chain.")
    String macKeyFile() default "certs/audit-mac.key";

    @AttributeDefinition(name = "Retry interval (ms)",
            description = "How often the writer tries again after a write failure (e.g. disk full).")
    long retryMs() default 5000;
}
