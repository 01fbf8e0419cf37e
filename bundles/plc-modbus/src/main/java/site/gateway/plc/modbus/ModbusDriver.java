package site.gateway.plc.modbus;

import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriver;
import org.osgi.service.component.annotations.Component;

import site.gateway.support.plcdriver.DriverBase;

/**
 * The {@code modbus-tcp} driver the plc core finds by its service property (as PLC4X's driver bundles register
 * theirs). Ranked above PLC4X's own Modbus driver (ranking 0), so this one is used where both are installed.
 */
@Component(service = PlcDriver.class, property = {"org.apache.plc4x.driver.code=" + ConnectionSettings.CODE,
        "service.ranking:Integer=10"})
public final class ModbusDriver extends DriverBase {
    public ModbusDriver() {
        super(ConnectionSettings.CODE, "Modbus TCP (gateway driver, blocking socket)", "Modbus TCP has no authentication",
                ModbusAddress::parse);
    }

    @Override
    protected PlcConnection connection(String connectionString) {
        return new ModbusConnection(ConnectionSettings.parse(connectionString));
    }
}
