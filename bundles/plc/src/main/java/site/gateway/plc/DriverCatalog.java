package site.gateway.plc;

import org.apache.plc4x.java.api.PlcDriver;

/** Where a PLC finds its PLC4X driver. In OSGi: the {@code PlcDriver} services of the driver bundles. */
interface DriverCatalog {
    /** The driver registered for this protocol code (the connection string's scheme), or null. */
    PlcDriver driver(String code);

    /**
     * The class loader to set as context class loader while the driver builds a connection (PLC4X finds
     * its transports with {@code ServiceLoader} on the context class loader), or null to leave it as it is.
     */
    ClassLoader transportLoader(String connection, PlcDriver driver);
}
