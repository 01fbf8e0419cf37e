package site.gateway.audit;

import site.gateway.api.audit.AuditEvent;

/**
 * Formats an entry as one line of the trail, chained with {@link ChainHash}:
 * <pre>{"ts":..,"seq":..,"actor":..,"action":..,"target":..,"outcome":..,"details":{..},"prev":"..","hash":".."[,"mac":".."]}</pre>
 * One instance per thread (it holds a MessageDigest).
 */
final class EntryFormat {
    private final ChainHash hash = new ChainHash();
    private final javax.crypto.Mac mac;

    /** @param macKey authenticates each entry; null writes entries without {@code mac} */
    EntryFormat(MacKey macKey) {
        this.mac = macKey == null ? null : macKey.newMac();
    }

    /** The entry chained to {@code prev}; no newline. */
    String line(long ts, long seq, AuditEvent event, String prev) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"ts\":").append(ts).append(",\"seq\":").append(seq).append(",\"actor\":");
        Json.value(b, event.actor());
        b.append(",\"action\":");
        Json.value(b, event.action());
        b.append(",\"target\":");
        Json.value(b, event.target());
        b.append(",\"outcome\":");
        Json.value(b, event.outcome());
        b.append(",\"details\":");
        Json.object(b, event.details());
        b.append(",\"prev\":\"").append(prev).append('"');
        String signed = b + "}";
        b.append(ChainHash.HASH_MEMBER).append(hash.sha256Hex(signed)).append('"');
        if (mac != null) {
            b.append(ChainHash.MAC_MEMBER).append(MacKey.mac(mac, signed)).append('"');
        }
        return b.append('}').toString();
    }

    String sha256Hex(byte[] bytes) {
        return hash.sha256Hex(bytes);
    }
}
