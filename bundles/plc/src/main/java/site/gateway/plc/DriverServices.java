package site.gateway.plc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.plc4x.java.api.PlcDriver;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The PLC4X drivers registered as OSGi services by driver bundles (PLC4X's DriverActivator registers each
 * {@code PlcDriver} with {@value #DRIVER_CODE}). Nothing is looked up with ServiceLoader on our side.
 */
final class DriverServices implements DriverCatalog {
    static final String DRIVER_CODE = "org.apache.plc4x.driver.code";
    static final String TRANSPORT = "org.apache.plc4x.java.spi.transport.Transport";
    static final String TRANSPORT_CODE = "org.apache.plc4x.transport.code";
    private static final Pattern URL = Pattern.compile("^([^:]+):(?:([^/:]+):)?//.*", Pattern.DOTALL);

    private record Entry(String code, int ranking, long id, PlcDriver driver) {
    }

    private final Map<Object, Entry> drivers = new ConcurrentHashMap<>();
    private volatile BundleContext context;

    /** Used to find the transport bundles PLC4X needs; never set outside OSGi (tests). */
    void useContext(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    void add(Object key, Map<String, ?> properties, PlcDriver driver) {
        Object code = properties.get(DRIVER_CODE);
        Object ranking = properties.get("service.ranking");
        Object id = properties.get("service.id");
        drivers.put(key, new Entry(code == null ? driver.getProtocolCode() : code.toString(),
                ranking instanceof Integer r ? r : 0, id instanceof Long l ? l : 0L, driver));
    }

    void remove(Object key) {
        drivers.remove(key);
    }

    @Override
    public PlcDriver driver(String code) {
        Entry best = null;
        for (Entry e : drivers.values()) {
            if (e.code().equals(code) && (best == null || e.ranking() > best.ranking()
                    || (e.ranking() == best.ranking() && e.id() < best.id()))) {
                best = e;
            }
        }
        return best == null ? null : best.driver();
    }

    /**
     * PLC4X's GeneratedDriverBase finds transports with ServiceLoader on the context class loader. In OSGi the
     * transport bundle (plc4j-transport-tcp, ...) registers each Transport as a service too: its class loader
     * sees the META-INF/services file and the implementation, so it is the context class loader to use.
     */
    @Override
    public ClassLoader transportLoader(String connection, PlcDriver driver) {
        BundleContext bundleContext = context;
        if (bundleContext == null) {
            return null;
        }
        String transport = transportCode(connection, driver);
        if (transport == null) {
            return null;
        }
        try {
            ServiceReference<?>[] refs = bundleContext.getAllServiceReferences(TRANSPORT, "(" + TRANSPORT_CODE + "=" + transport + ")");
            if (refs == null || refs.length == 0) {
                return null;
            }
            Bundle bundle = refs[0].getBundle();
            BundleWiring wiring = bundle == null ? null : bundle.adapt(BundleWiring.class);
            return wiring == null ? null : wiring.getClassLoader();
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    static String transportCode(String connection, PlcDriver driver) {
        Matcher m = URL.matcher(connection);
        if (m.matches() && m.group(2) != null) {
            return m.group(2);
        }
        try {
            return driver.getMetadata().getDefaultTransportCode().orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
