package site.gateway.support.plcdriver;

import java.util.function.Function;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.api.authentication.PlcAuthentication;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.metadata.PlcDriverMetadata;
import org.apache.plc4x.java.api.model.PlcTag;

/**
 * What a gateway driver says of itself and how it makes its connections: a new, unconnected one per connection
 * string, a string it cannot use failing here with the reason. The driver registers as the plc core finds PLC4X's
 * driver bundles ({@code org.apache.plc4x.driver.code}), ranked above PLC4X's own driver for that code.
 */
public abstract class DriverBase implements PlcDriver {
    private final String code;
    private final String name;
    private final String noAuthentication;
    private final Function<String, ? extends PlcTag> tags;

    /**
     * @param noAuthentication why a connection with authentication is refused
     * @param tags             the address parser ({@code prepareTag})
     */
    protected DriverBase(String code, String name, String noAuthentication, Function<String, ? extends PlcTag> tags) {
        this.code = code;
        this.name = name;
        this.noAuthentication = noAuthentication;
        this.tags = tags;
    }

    /**
     * A new, unconnected connection.
     *
     * @throws IllegalArgumentException saying what is wrong with the connection string
     */
    protected abstract PlcConnection connection(String connectionString);

    @Override
    public String getProtocolCode() {
        return code;
    }

    @Override
    public String getProtocolName() {
        return name;
    }

    @Override
    public PlcDriverMetadata getMetadata() {
        return OwnDriverMetadata.INSTANCE;
    }

    /** A new, unconnected connection; a connection string it cannot use fails here with the reason. */
    @Override
    public PlcConnection getConnection(String connectionString) throws PlcConnectionException {
        try {
            return connection(connectionString);
        } catch (IllegalArgumentException e) {
            throw new PlcConnectionException(e.getMessage());
        }
    }

    @Override
    public PlcConnection getConnection(String connectionString, PlcAuthentication authentication) throws PlcConnectionException {
        if (authentication != null) {
            throw new PlcConnectionException(noAuthentication);
        }
        return getConnection(connectionString);
    }

    @Override
    public PlcTag prepareTag(String address) {
        return tags.apply(address);
    }
}
