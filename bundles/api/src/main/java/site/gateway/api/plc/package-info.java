/**
 * The managed PLCs: status, reads and writes, per plcId. 1.1: {@code PlcRegistry.pendingConfigurations()}.
 * 2.0: {@code PlcStatusListener} removed (a whiteboard nobody registered: consumers read
 * {@code PlcRegistry.statuses()}, and the plc bundle raises alerts and gateway status itself).
 * 2.1: {@code PlcRegistry.readStats()} and {@code PlcReadStats}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package site.gateway.api.plc;
