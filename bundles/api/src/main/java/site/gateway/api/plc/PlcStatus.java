package site.gateway.api.plc;

/**
 * @param plcId      the configured PLC id
 * @param driver     the PLC4X driver code, e.g. {@code modbus-tcp}
 * @param state      connection state
 * @param lastReadTs time of the last successful read, 0 if none
 * @param reason     why it is not connected, or null
 */
public record PlcStatus(String plcId, String driver, PlcState state, long lastReadTs, String reason) {
}
