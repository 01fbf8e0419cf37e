package site.gateway.plc;

import java.util.HashMap;
import java.util.Map;

import org.apache.plc4x.java.api.PlcDriver;
import org.osgi.util.converter.Converters;

import site.gateway.testsupport.FixedIdentity;
import site.gateway.testsupport.MemoryOutbox;
import site.gateway.testsupport.RecordingAlerts;
import site.gateway.testsupport.RecordingAudit;
import site.gateway.testsupport.RecordingStatus;

/** A PlcComponent wired as DS would wire it, with recording collaborators and real PLC4X drivers. */
final class TestPlc implements AutoCloseable {
    final MemoryOutbox outbox = new MemoryOutbox();
    final RecordingAlerts alerts = new RecordingAlerts();
    final RecordingStatus status = new RecordingStatus();
    final RecordingAudit audit = new RecordingAudit();
    final PlcComponent component = new PlcComponent(new FixedIdentity("acme", "gw-test-01"), outbox, alerts,
            status, audit);

    TestPlc withDriver(PlcDriver driver) {
        component.addDriver(driver, Map.of(DriverServices.DRIVER_CODE, driver.getProtocolCode()), driver);
        return this;
    }

    static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    TestPlc activate(Map<String, Object> properties) {
        component.activate(null, convert(properties), properties);
        return this;
    }

    void modify(Map<String, Object> properties) {
        component.modified(convert(properties), properties);
    }

    static PlcConfig convert(Map<String, Object> properties) {
        return Converters.standardConverter().convert(properties).to(PlcConfig.class);
    }

    PlcEngine engine() {
        return component.engine();
    }

    @Override
    public void close() {
        component.deactivate();
    }
}
