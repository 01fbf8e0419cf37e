package site.gateway.support.plcdriver;

import java.util.List;
import java.util.Optional;

import org.apache.plc4x.java.api.metadata.OptionMetadata;
import org.apache.plc4x.java.api.metadata.PlcDriverMetadata;

/** What a gateway driver says of itself: its own TCP socket (no PLC4X transport to look up), no options metadata, no discovery. */
public final class OwnDriverMetadata implements PlcDriverMetadata {
    public static final OwnDriverMetadata INSTANCE = new OwnDriverMetadata();

    private OwnDriverMetadata() {
    }

    @Override
    public Optional<String> getDefaultTransportCode() {
        return Optional.empty();
    }

    @Override
    public List<String> getSupportedTransportCodes() {
        return List.of("tcp");
    }

    @Override
    public Optional<OptionMetadata> getProtocolConfigurationOptionMetadata() {
        return Optional.empty();
    }

    @Override
    public Optional<OptionMetadata> getTransportConfigurationOptionMetadata(String transportCode) {
        return Optional.empty();
    }

    @Override
    public boolean isDiscoverySupported() {
        return false;
    }
}
