package site.gateway.plc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.util.converter.Converters;

import site.gateway.api.audit.AuditTrail;
import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.Outbox;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcState;
import site.gateway.api.status.Alerts;
import site.gateway.api.status.GatewayState;
import site.gateway.api.status.GatewayStatus;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.plc.modbus.ModbusDriver;

/**
 * One real managed PLC of the plc bundle (PlcComponent + PlcRegistryComponent) on the real gateway Modbus
 * TCP driver, wired as DS would wire it, for the commands end-to-end test. (In this package because
 * those constructors are internal to the plc bundle.)
 */
public final class E2ePlc implements AutoCloseable {
    private final PlcComponent component;
    private final PlcRegistry registry;

    public E2ePlc(GatewayIdentity identity, Outbox outbox, String plcId, String connection, String tags) {
        this(identity, outbox, plcId, connection, tags, new ModbusDriver(), Map.of());
    }

    /** With another driver (S7 for example) and extra configuration properties ({@code writable.<tag>}). */
    public E2ePlc(GatewayIdentity identity, Outbox outbox, String plcId, String connection, String tags,
            org.apache.plc4x.java.api.PlcDriver driver, Map<String, Object> extra) {
        GatewayStatus status = new GatewayStatus() {
            @Override
            public StatusSnapshot current() {
                return new StatusSnapshot(GatewayState.OPERATIONAL, "", System.currentTimeMillis());
            }

            @Override
            public void report(String source, String problem) {
            }
        };
        Alerts alerts = alert -> { };
        AuditTrail audit = event -> { };
        component = new PlcComponent(identity, outbox, alerts, status, audit);
        component.addDriver(driver, Map.of(DriverServices.DRIVER_CODE, driver.getProtocolCode()), driver);
        Map<String, Object> properties = new HashMap<>();
        properties.put("plcId", plcId);
        properties.put("connection", connection);
        properties.put("tags", tags);
        for (String tag : tags.split(",")) { // commands write to every tag of these tests
            properties.put("writable." + tag.substring(0, tag.indexOf('=')).trim(), "true");
        }
        properties.put("pollIntervalMs", "1000");
        properties.put("requestTimeoutMs", "2000");
        properties.put("backoffInitialMs", "100");
        properties.put("backoffMaxMs", "400");
        properties.putAll(extra);
        component.activate(null, Converters.standardConverter().convert(properties).to(PlcConfig.class), properties);
        registry = new PlcRegistryComponent(List.of(component));
    }

    public PlcRegistry registry() {
        return registry;
    }

    public boolean connected() {
        return component.status() != null && component.status().state() == PlcState.CONNECTED;
    }

    @Override
    public void close() {
        component.deactivate();
    }
}
