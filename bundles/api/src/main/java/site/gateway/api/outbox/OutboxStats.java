package site.gateway.api.outbox;

/**
 * A snapshot of the buffer for heartbeats and the console.
 *
 * @param messages     durable messages buffered and not acknowledged
 * @param bytes        their stored size
 * @param oldestCreatedAt creation time of the oldest buffered message, 0 when empty
 * @param droppedTotal messages discarded because the buffer was full (drop-oldest), since the store was created
 * @param rejectedTotal messages refused because the buffer was full (reject-new)
 */
public record OutboxStats(long messages, long bytes, long oldestCreatedAt, long droppedTotal, long rejectedTotal) {
}
