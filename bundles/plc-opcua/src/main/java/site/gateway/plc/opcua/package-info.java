/**
 * An OPC UA driver behind PLC4X's API ({@code PlcDriver} service, protocol code {@code opcua}) that accepts the
 * connection strings and tag addresses of PLC4X 0.13.1's OPC UA driver, on Eclipse Milo's client SDK (inlined). One
 * Read service call per poll, awaited on the PLC's thread; writes as one Write call; subscriptions as monitored
 * items. Private: the plc core finds the driver as an OSGi service.
 */
package site.gateway.plc.opcua;
