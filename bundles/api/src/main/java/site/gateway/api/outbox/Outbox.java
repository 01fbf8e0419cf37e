package site.gateway.api.outbox;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable store-and-forward buffer (§3.2). Every message the WMS must receive is appended here,
 * gets the next seq, and stays until the WMS acknowledges it. Seq values are never reused, also
 * across crashes.
 */
@ProviderType
public interface Outbox {

    /**
     * Appends a message and returns its seq. {@code json} is a complete JSON object (UTF-8) without
     * {@code seq}, carrying {@code type}, {@code tenantId}, {@code gatewayId} and the type's fields.
     * Returns without waiting for the disk; see the storage documentation for durability.
     *
     * @throws OutboxFullException when the buffer is full and its policy is {@code reject-new}
     */
    long append(MessageType type, byte[] json) throws OutboxFullException;

    /** Up to {@code maxItems} buffered entries with {@code seq >= fromSeq}, in ascending seq. */
    List<OutboxEntry> read(long fromSeq, int maxItems);

    /** Removes every entry with {@code seq <= upTo}; forgets the dropped ranges it covers. Cumulative. */
    void acknowledge(long upTo);

    /** Highest seq acknowledged so far, 0 if none. */
    long lastAckedSeq();

    /** The seq the next appended message will get. */
    long nextSeq();

    /**
     * Highest seq such that every entry up to it is on disk and survives a crash (0 if none). Only
     * durable entries may be sent: a seq the WMS has seen must never be given to another message.
     * {@link OutboxListener#durable(long)} tells when it advances.
     */
    default long durableSeq() {
        return nextSeq() - 1;
    }

    /**
     * The WMS already holds seqs up to {@code wmsLastReceivedSeq} (§3.1 welcome) although this outbox
     * numbers below it (lost data folder, restored backup): continue numbering above the WMS's mark,
     * durably, keeping every message still held. No effect when {@code nextSeq() > wmsLastReceivedSeq}.
     */
    default void continueAbove(long wmsLastReceivedSeq) {
    }

    /** Ranges above {@link #lastAckedSeq()} that were discarded and will never be sent (§3.1 hello.dropped). */
    List<SeqRange> droppedRanges();

    OutboxStats stats();
}
