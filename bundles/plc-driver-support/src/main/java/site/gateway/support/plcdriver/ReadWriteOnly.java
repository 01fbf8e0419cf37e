package site.gateway.support.plcdriver;

import org.apache.plc4x.java.api.metadata.PlcConnectionMetadata;

/** A gateway driver's connection reads and writes; it neither subscribes (the plc core polls) nor browses. */
public final class ReadWriteOnly implements PlcConnectionMetadata {
    public static final ReadWriteOnly INSTANCE = new ReadWriteOnly();

    private ReadWriteOnly() {
    }

    @Override
    public boolean isReadSupported() {
        return true;
    }

    @Override
    public boolean isWriteSupported() {
        return true;
    }

    @Override
    public boolean isSubscribeSupported() {
        return false;
    }

    @Override
    public boolean isBrowseSupported() {
        return false;
    }
}
