package site.gateway.plc.opcua;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.apache.plc4x.java.api.authentication.PlcAuthentication;
import org.apache.plc4x.java.api.authentication.PlcUsernamePasswordAuthentication;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import site.gateway.support.plcdriver.DriverBase;

/**
 * The {@code opcua} driver the plc core finds by its service property (as PLC4X's driver bundles register theirs),
 * on Eclipse Milo's client SDK. Ranked above PLC4X's own OPC UA driver (ranking 0), so this one is used where both
 * are installed. Milo's shared threads (event loop, executor, scheduler, wheel timer) are Milo's static state; Milo is
 * inlined in this bundle, so they are this bundle's alone, and stopping it closes its connections and releases them:
 * a bundle update or uninstall leaves no thread behind.
 */
@Component(service = PlcDriver.class, property = {"org.apache.plc4x.driver.code=" + ConnectionSettings.CODE,
        "service.ranking:Integer=10"})
public final class OpcuaDriver extends DriverBase {
    private static final Logger LOG = LoggerFactory.getLogger(OpcuaDriver.class);
    private final Set<OpcuaConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    public OpcuaDriver() {
        super(ConnectionSettings.CODE, "OPC UA (gateway driver on Eclipse Milo's client)",
                "the gateway's OPC UA driver takes a user name and password only", OpcuaTag::parse);
    }

    @Override
    protected PlcConnection connection(String connectionString) {
        return new OpcuaConnection(ConnectionSettings.parse(connectionString), this);
    }

    /** A user name and password given this way win over those of the connection string. */
    @Override
    public PlcConnection getConnection(String connectionString, PlcAuthentication authentication) throws PlcConnectionException {
        if (authentication instanceof PlcUsernamePasswordAuthentication user) {
            return getConnection(connectionString.replaceAll("([?&])(username|password)=[^&]*", "$1")
                    + (connectionString.contains("?") ? "&" : "?") + "username=" + user.getUsername() + "&password=" + user.getPassword());
        }
        return super.getConnection(connectionString, authentication);
    }

    void opening(OpcuaConnection connection) throws PlcConnectionException {
        connections.add(connection);
        if (stopped) {
            connections.remove(connection);
            throw new PlcConnectionException("the OPC UA driver is stopping");
        }
    }

    void closed(OpcuaConnection connection) {
        connections.remove(connection);
    }

    /** Closes what is still open and releases Milo's shared threads (they are created again on the next use). */
    @Deactivate
    public void deactivate() {
        stopped = true;
        List<OpcuaConnection> open = List.copyOf(connections);
        for (OpcuaConnection connection : open) {
            connection.close();
        }
        try {
            Stack.releaseSharedResources(5, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.warn("releasing Milo's shared threads failed: {}", e.toString());
        }
        LOG.info("OPC UA driver stopped: {} connection(s) closed, Milo's shared threads released", open.size());
    }
}
