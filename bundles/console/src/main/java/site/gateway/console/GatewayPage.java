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
        return render(identity, status, session, buffer, plcs, null, null, null);
    }

    /**
     * @param health   the health checks' results, null when the health feature is not running
     * @param liveJson {@link LiveData} for the page's script (health, last hour), null: no live part
     * @param script   the page's script (gateway-page.js)
     */
    String render(GatewayIdentity identity, StatusSnapshot status, SessionInfo session, OutboxStats buffer,
            List<PlcStatus> plcs, List<CheckLine> health, String liveJson, String script) {
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
        html.append("</tbody></table>");
        healthTable(health);
        if (liveJson != null) {
            html.append("<h2>Last hour</h2><p id=\"gateway-updated\"></p><div id=\"gateway-charts\">")
                    .append(chart("chart-rate", "Delivery rate (messages acknowledged per second)"))
                    .append(chart("chart-depth", "Buffer depth (messages waiting)"))
                    .append("</div><script type=\"application/json\" id=\"gateway-live\">")
                    .append(LiveData.forScriptElement(liveJson)).append("</script>");
            if (script != null) {
                html.append("<script>").append(script).append("</script>");
            }
        }
        html.append("</div>");
        return html.toString();
    }

    private void healthTable(List<CheckLine> health) {
        html.append("<h2>Health</h2><table class=\"nicetable\" id=\"gateway-health\"><thead><tr>")
                .append("<th style=\"width:14em\">Check</th><th style=\"width:7em\">Status</th><th>Message</th></tr></thead><tbody>");
        if (health == null) {
            html.append("<tr><td colspan=\"3\">Health checks not running (feature health)</td></tr>");
        } else {
            for (CheckLine line : health) {
                html.append("<tr class=\"hc-").append(Encode.forHtmlAttribute(line.status())).append("\">").append(cell(line.name()))
                        .append(cell(line.status())).append(cell(line.message())).append("</tr>");
            }
        }
        html.append("</tbody></table>");
    }

    private static String chart(String id, String title) {
        return "<figure style=\"display:inline-block;margin:0 1em 1em 0\"><figcaption>" + Encode.forHtml(title)
                + "</figcaption><svg id=\"" + id + "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 160\" width=\"600\" height=\"160\""
                + " role=\"img\" aria-label=\"" + Encode.forHtmlAttribute(title) + "\"></svg></figure>";
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
