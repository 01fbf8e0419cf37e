package site.gateway.plc.s7;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.osgi.service.component.annotations.Component;

import site.gateway.support.plcdriver.DriverBase;

/**
 * The {@code s7} driver the plc core finds by its service property (as PLC4X's driver bundles register
 * theirs). Ranked above PLC4X's own S7 driver (ranking 0), so this one is used where both are installed.
 */
@Component(service = PlcDriver.class, property = {"org.apache.plc4x.driver.code=" + ConnectionSettings.CODE,
        "service.ranking:Integer=10"})
public final class S7Driver extends DriverBase {
    public S7Driver() {
        super(ConnectionSettings.CODE, "Siemens S7 (gateway driver, ISO-on-TCP on a blocking socket)",
                "the gateway's S7 driver has no authentication (S7comm passwords are not supported)", S7Address::parse);
    }

    @Override
    protected PlcConnection connection(String connectionString) {
        return new S7Connection(ConnectionSettings.parse(connectionString));
    }
}
