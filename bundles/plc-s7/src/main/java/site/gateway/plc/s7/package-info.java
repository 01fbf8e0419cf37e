/**
 * A Siemens S7 driver behind PLC4X's API ({@code PlcDriver} service, protocol code {@code s7}) that accepts the
 * connection strings and tag addresses of PLC4X 0.13.1's S7 driver: ISO-on-TCP (RFC 1006, ISO 8073 COTP class 0)
 * and S7comm's Setup communication, Read Var and Write Var. A request is written and its answer read on the thread
 * that waits for it, over one blocking socket per connection. Private: the plc core finds the driver as an OSGi
 * service.
 */
package site.gateway.plc.s7;
