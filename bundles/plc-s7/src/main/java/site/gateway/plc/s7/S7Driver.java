package site.gateway.plc.s7;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.api.authentication.PlcAuthentication;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.metadata.PlcDriverMetadata;
import org.apache.plc4x.java.api.model.PlcTag;
import org.osgi.service.component.annotations.Component;

import site.gateway.support.plcdriver.OwnDriverMetadata;

/**
 * The {@code s7} driver the plc core finds by its service property (as PLC4X's driver bundles register
 * theirs). Ranked above PLC4X's own S7 driver (ranking 0), so this one is used where both are installed.
 */
@Component(service = PlcDriver.class, property = {"org.apache.plc4x.driver.code=" + ConnectionSettings.CODE,
        "service.ranking:Integer=10"})
public final class S7Driver implements PlcDriver {
    @Override
    public String getProtocolCode() {
        return ConnectionSettings.CODE;
    }

    @Override
    public String getProtocolName() {
        return "Siemens S7 (gateway driver, ISO-on-TCP on a blocking socket)";
    }

    @Override
    public PlcDriverMetadata getMetadata() {
        return OwnDriverMetadata.INSTANCE;
    }

    /** A new, unconnected connection; a connection string it cannot use fails here with the reason. */
    @Override
    public PlcConnection getConnection(String connectionString) throws PlcConnectionException {
        try {
            return new S7Connection(ConnectionSettings.parse(connectionString));
        } catch (IllegalArgumentException e) {
            throw new PlcConnectionException(e.getMessage());
        }
    }

    @Override
    public PlcConnection getConnection(String connectionString, PlcAuthentication authentication) throws PlcConnectionException {
        if (authentication != null) {
            throw new PlcConnectionException("the gateway's S7 driver has no authentication (S7comm passwords are not supported)");
        }
        return getConnection(connectionString);
    }

    @Override
    public PlcTag prepareTag(String address) {
        return S7Address.parse(address);
    }
}
