/**
 * The managed PLCs: one {@link site.gateway.plc.PlcComponent} per {@code gateway.plc} factory
 * configuration, on top of the PLC4X {@code PlcDriver} services that driver bundles register.
 * Private: other bundles use {@code site.gateway.api.plc}.
 */
package site.gateway.plc;
