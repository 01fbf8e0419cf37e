package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain-HTTP admin endpoints for the demo (bound like the sandbox, loopback by default):
 * the test hooks and fault switches of {@link WmsSandbox} for curl. See docs/wms-sandbox.md.
 */
final class AdminServer {

    private final WmsSandbox sandbox;
    private final Server server;
    private final ServerConnector connector;

    AdminServer(WmsSandbox sandbox, String host, int port) {
        this.sandbox = sandbox;
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("wms-sandbox-admin");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    JsonNode answer = dispatch(request);
                    if (answer == null) {
                        return ApiHandler.json(response, callback, 404, Json.error("not-found", request.getHttpURI().getPath()));
                    }
                    return ApiHandler.json(response, callback, 200, answer);
                } catch (RuntimeException e) {
                    return ApiHandler.json(response, callback, 400, Json.error("bad-request", e.getMessage()));
                }
            }
        });
    }

    void start() throws Exception {
        server.start();
    }

    void stop() throws Exception {
        server.stop();
    }

    int port() {
        return connector.getLocalPort();
    }

    private JsonNode dispatch(Request request) {
        String path = request.getHttpURI().getPath();
        Fields query = Request.extractQueryParameters(request);
        boolean post = HttpMethod.POST.is(request.getMethod());
        ObjectNode ok = Json.object().put("ok", true);
        switch (path) {
            case "/admin/state":
                return state();
            case "/admin/messages":
                return messages(query);
            default:
                break;
        }
        if (!post) {
            return null;
        }
        switch (path) {
            case "/admin/commands" -> {
                JsonNode body = readJson(request);
                ObjectNode command = sandbox.newCommand(body.path("plcId").asText("plc-1"), body.path("kind").asText("move"),
                        body.path("payload").isMissingNode() ? Json.object() : body.get("payload"));
                if (body.has("gatewayId")) {
                    command.put("gatewayId", body.get("gatewayId").asText());
                }
                if (body.has("ttlSeconds")) {
                    command.put("expiresAt", command.get("issuedAt").longValue() + body.get("ttlSeconds").asLong() * 1000);
                }
                return sandbox.sendCommand(command);
            }
            case "/admin/faults/drop" -> sandbox.dropConnections();
            case "/admin/faults/offline" -> {
                sandbox.goOffline();
                String seconds = query.getValue("seconds");
                if (seconds != null) {
                    sandbox.scheduler.schedule(sandbox::goOnline, Long.parseLong(seconds), java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            case "/admin/faults/online" -> sandbox.goOnline();
            case "/admin/faults/refuse" -> {
                List<Route> routes = new ArrayList<>();
                String names = query.getValue("routes");
                if (names != null && !names.isBlank()) {
                    for (String name : names.split(",")) {
                        routes.add(Route.valueOf(name.trim().toUpperCase()));
                    }
                }
                sandbox.refuse(Integer.parseInt(valueOr(query, "status", "503")), Integer.parseInt(valueOr(query, "retryAfter", "-1")),
                        routes.toArray(new Route[0]));
            }
            case "/admin/faults/refuse/stop" -> sandbox.stopRefusing();
            case "/admin/faults/acking" -> sandbox.setAcking(Boolean.parseBoolean(valueOr(query, "on", "true")));
            case "/admin/faults/silent" -> sandbox.setSilent(Boolean.parseBoolean(valueOr(query, "on", "true")));
            case "/admin/faults/heartbeats" -> sandbox.setHeartbeats(Boolean.parseBoolean(valueOr(query, "on", "true")));
            case "/admin/faults/close" -> sandbox.closeSessions(Integer.parseInt(valueOr(query, "code", "1000")), valueOr(query, "reason", "sandbox"));
            case "/admin/faults/renewal" -> sandbox.setRenewalFault(RenewalFault.valueOf(valueOr(query, "fault", "NONE").toUpperCase()));
            case "/admin/reregister" -> sandbox.sendReregister();
            case "/admin/tokens/expire" -> sandbox.expireTokensNow();
            case "/admin/tokens/lifetime" -> sandbox.setTokenLifetime(Duration.ofSeconds(Long.parseLong(valueOr(query, "seconds", "3600"))));
            case "/admin/revoke" -> {
                sandbox.ca().revoke(new BigInteger(valueOr(query, "serial", "0"), 16));
                return ok.put("crlNextUpdate", sandbox.ca().crl().getNextUpdate().getTime());
            }
            default -> {
                return null;
            }
        }
        return ok;
    }

    private ObjectNode state() {
        ObjectNode state = Json.object().put("port", sandbox.port()).put("offline", sandbox.isOffline())
                .put("acking", sandbox.acking).put("silent", sandbox.silent)
                .put("registrations", sandbox.registrationCount());
        WmsSandbox.Refusal refusal = sandbox.refusal;
        state.put("refusal", refusal == null ? null : refusal.toString());
        ArrayNode gateways = state.putArray("gateways");
        for (GatewayLedger ledger : sandbox.state.ledgers()) {
            LedgerReport report = ledger.report();
            gateways.addObject().put("tenantId", ledger.tenantId).put("gatewayId", ledger.gatewayId)
                    .put("lastReceivedSeq", report.lastReceivedSeq()).put("highestSeq", report.highestSeq())
                    .put("stored", report.stored()).put("duplicates", report.duplicates()).put("reused", report.reused())
                    .put("holes", report.holes()).put("announcedDropped", report.announcedDropped())
                    .put("alertedDropped", report.alertedDroppedCount()).put("commandResults", report.commandResults())
                    .put("repeatedCommandResults", report.repeatedCommandResults().size());
        }
        ArrayNode sessions = state.putArray("sessions");
        for (SessionRecord s : sandbox.sessions()) {
            sessions.addObject().put("gatewayId", s.gatewayId()).put("sessionId", s.sessionId()).put("node", s.node())
                    .put("subprotocol", s.subprotocol()).put("extensions", String.join(",", s.extensions()))
                    .put("openedAt", s.openedAt().toString()).put("closedAt", s.closedAt() == null ? null : s.closedAt().toString())
                    .put("closeCode", s.closeCode());
        }
        ArrayNode violations = state.putArray("protocolViolations");
        sandbox.protocolViolations().forEach(violations::add);
        ArrayNode serials = state.putArray("clientCertificateSerials");
        sandbox.clientCertificateSerials().forEach(s -> serials.add(s.toString(16)));
        return state;
    }

    private ArrayNode messages(Fields query) {
        String type = query.getValue("type");
        int limit = Integer.parseInt(valueOr(query, "limit", "50"));
        List<ReceivedMessage> all = new ArrayList<>();
        if (!"non-durable".equals(query.getValue("kind"))) {
            for (GatewayLedger ledger : sandbox.state.ledgers()) {
                all.addAll(ledger.messages());
            }
        }
        if (!"durable".equals(query.getValue("kind"))) {
            all.addAll(sandbox.receivedNonDurable());
        }
        all.sort((a, b) -> a.receivedAt().compareTo(b.receivedAt()));
        ArrayNode out = Json.MAPPER.createArrayNode();
        List<ReceivedMessage> selected = all.stream().filter(m -> type == null || m.type().equals(type)).toList();
        for (ReceivedMessage m : selected.subList(Math.max(0, selected.size() - limit), selected.size())) {
            out.addObject().put("receivedAt", m.receivedAt().toString()).put("gatewayId", m.gatewayId()).put("via", m.via())
                    .set("message", m.json());
        }
        return out;
    }

    private static JsonNode readJson(Request request) {
        try {
            JsonNode node = Json.parse(Content.Source.asString(request));
            return node == null ? Json.object() : node;
        } catch (Exception e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
        }
    }

    private static String valueOr(Fields query, String name, String fallback) {
        String value = query.getValue(name);
        return value == null ? fallback : value;
    }
}
