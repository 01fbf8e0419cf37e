package site.gateway.transport;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.api.outbox.Outbox;
import site.gateway.api.status.Alert;
import site.gateway.api.status.Severity;

/**
 * The WMS's {@code lastReceivedSeq} and acks applied to the outbox (§3.1.3, §3.3): what the WMS has leaves
 * the buffer, never beyond what this gateway made durable, and a WMS ahead of this gateway's seqs makes
 * the outbox continue numbering above its mark.
 */
final class SeqSync {
    private static final Logger LOG = LoggerFactory.getLogger(SeqSync.class);

    private final Session s;
    private final Outbox outbox;
    /** The highest WMS mark above this gateway's seqs already reported (once per mark). */
    private long aheadSeenAt;

    SeqSync(Session session) {
        this.s = session;
        this.outbox = session.outbox;
    }

    /**
     * The WMS's {@code lastReceivedSeq} (welcome, register answer, §2.6): drops from the buffer what the WMS
     * has (§3.1.3) and returns the mark. A WMS ahead of every seq this gateway has made durable (a lost
     * data folder, a restored backup) holds seqs this gateway would otherwise give to new messages, which
     * the WMS would then silently deduplicate: the outbox continues numbering above its mark first (§3.2
     * "never reused"; what it does with messages still held is the outbox's part, see docs/transport.md).
     */
    long synchronise(long lastReceived) {
        long durable = outbox.durableSeq();
        if (lastReceived > durable) {
            wmsAhead(lastReceived, durable);
        }
        long upTo = Math.min(lastReceived, outbox.nextSeq() - 1);
        if (upTo > outbox.lastAckedSeq()) {
            outbox.acknowledge(upTo);
        }
        return upTo;
    }

    private void wmsAhead(long lastReceived, long durable) {
        long nextBefore = outbox.nextSeq();
        outbox.continueAbove(lastReceived);
        long nextAfter = outbox.nextSeq();
        if (lastReceived <= aheadSeenAt) {
            return;
        }
        aheadSeenAt = lastReceived;
        Map<String, Object> details = Map.of("lastReceivedSeq", lastReceived, "durableSeq", durable,
                "nextSeqBefore", nextBefore, "nextSeq", nextAfter);
        String endpoint = s.endpoints.current().toString();
        if (nextAfter > lastReceived) {
            // The outbox raises its own alert about the seqs it moved (storage: buffer.seq-raised).
            LOG.warn("The WMS at {} has stored seqs up to {} but this gateway had made durable only up to {}: "
                    + "numbering continues at {}", endpoint, lastReceived, durable, nextAfter);
            s.env.audit(Session.ACTOR, "wms.ahead", endpoint, "continued", details);
            return;
        }
        String message = "The WMS at " + endpoint + " has stored seqs up to " + lastReceived
                + " but this gateway numbers at " + nextAfter + " and its buffer could not continue above: "
                + "new messages up to that seq will be taken by the WMS for duplicates";
        LOG.error(message);
        s.env.alert(new Alert(Severity.CRITICAL, "wms.ahead", message, null, details));
        s.env.audit(Session.ACTOR, "wms.ahead", endpoint, "not-continued", details);
    }

    /** An ack (§3.3): never beyond what this gateway has made durable, the most it can have sent. */
    long applyLastReceived(long upTo) {
        long durable = outbox.durableSeq();
        if (upTo > durable) {
            LOG.warn("The WMS acknowledges seq {} but this gateway has sent only up to {}", upTo, durable);
        }
        long applies = Math.min(upTo, durable);
        if (applies > outbox.lastAckedSeq()) {
            outbox.acknowledge(applies);
        }
        return applies;
    }
}
