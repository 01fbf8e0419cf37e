package site.gateway.api.plc;

import site.gateway.api.stats.LatencyHistogram;

/**
 * Reads of one PLC since its configuration was last applied: polls and command reads, each one request to
 * the PLC. Subscription events are not reads.
 *
 * @param plcId   the configured PLC id
 * @param driver  the PLC4X driver code
 * @param reads   read requests sent to the PLC, failed ones included
 * @param errors  read requests that failed (no answer in time, connection error)
 * @param latency time to the answer of the successful reads
 */
public record PlcReadStats(String plcId, String driver, long reads, long errors, LatencyHistogram latency) {
}
