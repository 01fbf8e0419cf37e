/**
 * A Modbus TCP driver behind PLC4X's API ({@code PlcDriver} service, protocol code {@code modbus-tcp}) that
 * accepts the connection strings and tag addresses of PLC4X 0.13.1's Modbus driver. A request is written
 * and its answer read on the thread that waits for it, over one blocking socket per connection.
 * Private: the plc core finds the driver as an OSGi service.
 */
package site.gateway.plc.modbus;
