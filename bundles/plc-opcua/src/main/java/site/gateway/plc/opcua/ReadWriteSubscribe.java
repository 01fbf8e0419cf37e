package site.gateway.plc.opcua;

import org.apache.plc4x.java.api.metadata.PlcConnectionMetadata;

/** An OPC UA connection reads, writes and subscribes (monitored items); it does not browse. */
final class ReadWriteSubscribe implements PlcConnectionMetadata {
    static final ReadWriteSubscribe INSTANCE = new ReadWriteSubscribe();

    private ReadWriteSubscribe() {
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
        return true;
    }

    @Override
    public boolean isBrowseSupported() {
        return false;
    }
}
