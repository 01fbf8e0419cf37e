package site.gateway.api.audit;

/**
 * The last entry of the audit trail that is on the device: its {@code seq} and the SHA-256 of its
 * line. Carried in heartbeats so that the WMS holds a copy and a cut trail cannot go unnoticed.
 */
public record AuditHead(long seq, String hash) {
}
