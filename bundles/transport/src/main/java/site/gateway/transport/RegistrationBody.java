package site.gateway.transport;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.plc.PlcRegistry;
import site.gateway.api.plc.PlcStatus;

/** Builds the §2.1 register request body. */
final class RegistrationBody {
    private final Wire wire;
    private final BundleInventory inventory;
    private final Supplier<PlcRegistry> plcs;
    private final long startedAt = ManagementFactory.getRuntimeMXBean().getStartTime();

    RegistrationBody(Wire wire, BundleInventory inventory, Supplier<PlcRegistry> plcs) {
        this.wire = wire;
        this.inventory = inventory;
        this.plcs = plcs;
    }

    byte[] build(GatewayIdentity identity, long lastAckedSeq) {
        ObjectNode n = wire.mapper().createObjectNode();
        n.put("protocol", 1);
        n.put("tenantId", identity.tenantId());
        n.put("gatewayId", identity.gatewayId());
        ObjectNode software = n.putObject("software");
        software.put("version", inventory.version());
        ArrayNode bundles = software.putArray("bundles");
        for (BundleInventory.Entry b : inventory.bundles()) {
            bundles.addObject().put("symbolicName", b.symbolicName()).put("version", b.version()).put("state", b.state());
        }
        ArrayNode plcArray = n.putArray("plcs");
        PlcRegistry registry = plcs.get();
        if (registry != null) {
            for (PlcStatus p : registry.statuses()) {
                plcArray.addObject().put("plcId", p.plcId()).put("driver", p.driver()).put("status", p.state().wireName());
            }
        }
        n.put("lastAckedSeq", lastAckedSeq);
        n.put("startedAt", startedAt);
        return wire.bytes(n);
    }
}
