package site.gateway.console;

import java.time.Instant;
import java.util.List;

import org.owasp.encoder.Encode;

import site.gateway.api.identity.GatewayIdentity;
import site.gateway.api.outbox.OutboxStats;
import site.gateway.api.plc.PlcStatus;
import site.gateway.api.status.StatusSnapshot;
import site.gateway.api.wms.SessionInfo;

/** Renders what an operator looks at first: state, WMS session, buffer, PLCs. Every value is HTML-encoded. */
final class GatewayPage {
    private final StringBuilder html = new StringBuilder();

    String render(GatewayIdentity identity, StatusSnapshot status, SessionInfo session, OutboxStats buffer,
            List<PlcStatus> plcs) {
        html.append("<div id=\"gateway-page\">");
        table("Gateway", identity == null ? new String[][] {{"Identity", "not configured"}} : new String[][] {
            {"Tenant", identity.tenantId()}, {"Gateway", identity.gatewayId()},
            {"State", status == null ? "unknown" : status.state().wireName()},
            {"Reason", status == null ? "" : status.reason()}});
        table("WMS session", session == null ? new String[][] {{"Transport", "not installed"}} : new String[][] {
            {"State", session.describe()}, {"Endpoint", String.valueOf(session.endpoint())},
            {"Session", String.valueOf(session.sessionId())}, {"Connected since", time(session.connectedSinceTs())},
            {"Reconnects", String.valueOf(session.reconnects())},
            {"Sent per second", String.format("%.1f", session.sentPerSecond())}});
        table("Buffer", buffer == null ? new String[][] {{"Storage", "not installed"}} : new String[][] {
            {"Messages", String.valueOf(buffer.messages())}, {"Bytes", String.valueOf(buffer.bytes())},
            {"Oldest", time(buffer.oldestCreatedAt())}, {"Dropped", String.valueOf(buffer.droppedTotal())},
            {"Rejected", String.valueOf(buffer.rejectedTotal())}});
        html.append("<h2>PLCs</h2><table class=\"tablesorter nicetable\" id=\"gateway-plcs\"><thead><tr>")
                .append("<th>PLC</th><th>Driver</th><th>State</th><th>Last read</th><th>Reason</th></tr></thead><tbody>");
        for (PlcStatus plc : plcs) {
            html.append("<tr>").append(cell(plc.plcId())).append(cell(plc.driver()))
                    .append(cell(plc.state().wireName())).append(cell(time(plc.lastReadTs())))
                    .append(cell(plc.reason() == null ? "" : plc.reason())).append("</tr>");
        }
        if (plcs.isEmpty()) {
            html.append("<tr><td colspan=\"5\">No PLC configured (conf/gateway.plc-&lt;name&gt;.cfg)</td></tr>");
        }
        html.append("</tbody></table></div>");
        return html.toString();
    }

    private void table(String title, String[][] rows) {
        html.append("<h2>").append(Encode.forHtml(title)).append("</h2><table class=\"nicetable\">");
        for (String[] row : rows) {
            html.append("<tr><th style=\"width:14em\">").append(Encode.forHtml(row[0])).append("</th>").append(cell(row[1])).append("</tr>");
        }
        html.append("</table>");
    }

    private static String cell(String value) {
        return "<td>" + Encode.forHtml(value == null ? "" : value) + "</td>";
    }

    private static String time(long epochMillis) {
        return epochMillis <= 0 ? "-" : Instant.ofEpochMilli(epochMillis).toString();
    }
}
