package site.gateway.support.plcdriver;

import org.apache.plc4x.java.api.metadata.PlcConnectionMetadata;

/** What a gateway driver's connection offers, as PLC4X's connection metadata says it. */
public record Abilities(boolean isReadSupported, boolean isWriteSupported, boolean isSubscribeSupported,
        boolean isBrowseSupported) implements PlcConnectionMetadata {
    /** Reads, writes and subscribes; does not browse (the gateway's OPC UA driver). */
    public static final Abilities READ_WRITE_SUBSCRIBE = new Abilities(true, true, true, false);
}
