package site.gateway.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.gateway.sandbox.pki.PemIo;
import site.gateway.sandbox.pki.PkiException;
import site.gateway.sandbox.pki.SubjectNames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The HTTPS endpoints of §2 and the checks in front of the WebSocket upgrade (§3): TLS observation,
 * fault switches, client certificate, bearer token. The wrapped handler does the upgrade.
 */
final class ApiHandler extends Handler.Wrapper {

    static final String GRANT_ATTRIBUTE = "site.gateway.sandbox.grant";
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Pattern GATEWAY_PATH = Pattern.compile("^/api/v1/gateways/([^/]+)/(token|certificate|messages|ws)$");
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final WmsSandbox node;
    private final WmsState state;

    ApiHandler(WmsSandbox node, WmsState state, Handler upgrade) {
        super(upgrade);
        this.node = node;
        this.state = state;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        String method = request.getMethod();
        Route route = null;
        String pathGateway = null;
        Matcher matcher = GATEWAY_PATH.matcher(path);
        if ("/api/v1/gateways/register".equals(path) && HttpMethod.POST.is(method)) {
            route = Route.REGISTER;
        } else if ("/api/v1/pki/crl".equals(path) && HttpMethod.GET.is(method)) {
            route = Route.CRL;
        } else if ("/api/v1/health".equals(path) && HttpMethod.GET.is(method)) {
            route = Route.HEALTH;
        } else if (matcher.matches()) {
            pathGateway = matcher.group(1);
            String what = matcher.group(2);
            if ("ws".equals(what) && HttpMethod.GET.is(method)) {
                route = Route.WEBSOCKET;
            } else if (HttpMethod.POST.is(method)) {
                route = switch (what) {
                    case "token" -> Route.TOKEN;
                    case "certificate" -> Route.CERTIFICATE;
                    case "messages" -> Route.MESSAGES;
                    default -> null;
                };
            }
        }
        if (route == null) {
            return json(response, callback, 404, Json.error("not-found", method + " " + path));
        }

        // Read the whole body first, whatever the answer: an unread body makes Jetty drop the
        // keep-alive connection, which clients see as a failed next request.
        byte[] body;
        try {
            body = HttpMethod.POST.is(method) ? body(request) : new byte[0];
            if (gzipped(request)) {
                node.observeGzip(route);
            }
        } catch (BadRequest e) {
            return json(response, callback, 400, Json.error("bad-request", e.getMessage()));
        }
        EndPoint.SslSessionData ssl = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate client = ssl != null && ssl.peerCertificates() != null && ssl.peerCertificates().length > 0
                ? ssl.peerCertificates()[0] : null;
        node.observe(new TlsObservation(Instant.now(), path, ssl == null ? null : ssl.sslSession().getProtocol(),
                ssl == null ? null : ssl.cipherSuite(), client == null ? null : client.getSerialNumber(),
                client == null ? null : client.getSubjectX500Principal().getName()), route);

        if (route == Route.WEBSOCKET && node.upgradeFault != UpgradeFault.NONE) {
            if (node.upgradeFault == UpgradeFault.RESET) {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.succeeded(); // nothing can be written on the closed connection
            }
            return true; // HANG: the callback is never completed, no answer is ever written
        }
        WmsSandbox.Refusal refusal = node.refusal;
        if (refusal != null && refusal.appliesTo(route)) {
            if (refusal.retryAfterSeconds() >= 0) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(refusal.retryAfterSeconds()));
            }
            return json(response, callback, refusal.status(), Json.error("unavailable", "refused by a sandbox fault switch"));
        }
        if (client == null || !node.acceptsClient(client)) {
            return unauthorized(response, callback, "unknown, untrusted, expired or revoked client certificate");
        }
        String[] identity = SubjectNames.tenantAndGateway(client);
        try {
            return switch (route) {
                case REGISTER -> register(request, body, response, callback, client, identity);
                case TOKEN -> token(request, response, callback, pathGateway);
                case CERTIFICATE -> certificate(request, body, response, callback, pathGateway, client);
                case CRL -> text(response, callback, 200, "application/pkix-crl", PemIo.toPem(node.ca().crl()));
                case HEALTH -> json(response, callback, 200, Json.object().put("status", "ok"));
                case MESSAGES -> messages(request, body, response, callback, pathGateway);
                case WEBSOCKET -> upgrade(request, response, callback, pathGateway, identity);
            };
        } catch (BadRequest e) {
            state.violation("HTTP " + route + ": " + e.getMessage());
            return json(response, callback, 400, Json.error("bad-request", e.getMessage()));
        }
    }

    private boolean register(Request request, byte[] body, Response response, Callback callback, X509Certificate client,
                             String[] identity) throws BadRequest {
        JsonNode registration = jsonBody(body);
        if (!registration.path("protocol").isIntegralNumber() || !registration.path("tenantId").isTextual() || !registration.path("gatewayId").isTextual()) {
            throw new BadRequest("register needs protocol, tenantId and gatewayId");
        }
        if (registration.get("protocol").intValue() != 1) {
            return json(response, callback, 409, Json.error("protocol", "protocol " + registration.get("protocol") + " not supported; use 1"));
        }
        String tenantId = registration.get("tenantId").textValue();
        String gatewayId = registration.get("gatewayId").textValue();
        if (!tenantId.equals(identity[0]) || !gatewayId.equals(identity[1])) {
            return json(response, callback, 403, Json.error("forbidden",
                    "tenantId/gatewayId " + tenantId + "/" + gatewayId + " do not match the certificate's O/CN " + identity[0] + "/" + identity[1]));
        }
        String sessionId = "s-" + WmsState.randomId(6);
        WmsState.TokenGrant grant = state.issueToken(tenantId, gatewayId, sessionId);
        state.registrations.add(new Registration(tenantId, gatewayId, sessionId, registration, client.getSerialNumber(), Instant.now(), node.port()));
        ObjectNode answer = Json.object()
                .put("sessionId", sessionId)
                .put("token", grant.token())
                .put("tokenExpiresAt", grant.expiresAt())
                .put("heartbeatIntervalSeconds", node.heartbeatIntervalSeconds)
                .put("websocketUrl", "wss://" + Request.getServerName(request) + ":" + node.webSocketPort(Request.getServerPort(request))
                        + "/api/v1/gateways/" + gatewayId + "/ws")
                .put("lastReceivedSeq", state.ledger(tenantId, gatewayId).lastReceivedSeq());
        state.signal();
        LOG.info("Registered {}/{} session {}", tenantId, gatewayId, sessionId);
        return json(response, callback, 200, answer);
    }

    private boolean token(Request request, Response response, Callback callback, String gatewayId) throws BadRequest {
        WmsState.TokenGrant grant = grant(request, gatewayId);
        if (grant == null) {
            return unauthorized(response, callback, "invalid or expired token");
        }
        WmsState.TokenGrant fresh = state.issueToken(grant.tenantId(), grant.gatewayId(), grant.sessionId());
        return json(response, callback, 200, Json.object().put("token", fresh.token()).put("tokenExpiresAt", fresh.expiresAt()));
    }

    private boolean certificate(Request request, byte[] body, Response response, Callback callback, String gatewayId,
                                X509Certificate client) throws BadRequest {
        WmsState.TokenGrant grant = grant(request, gatewayId);
        if (grant == null) {
            return unauthorized(response, callback, "invalid or expired token");
        }
        String pem = new String(body, StandardCharsets.US_ASCII);
        X509Certificate issued;
        try {
            issued = node.renewals.renew(PemIo.parseCsr(pem), client, node.renewalFault);
        } catch (PkiException e) {
            throw new BadRequest(e.getMessage());
        }
        if (issued == null) {
            return json(response, callback, 500, Json.error("internal", "renewal failed (sandbox fault switch)"));
        }
        return text(response, callback, 200, "application/pem-certificate-chain", PemIo.toPem(issued));
    }

    private boolean messages(Request request, byte[] body, Response response, Callback callback, String gatewayId) throws BadRequest {
        WmsState.TokenGrant grant = grant(request, gatewayId);
        if (grant == null) {
            return unauthorized(response, callback, "invalid or expired token");
        }
        if (body.length > WmsSandbox.MAX_MESSAGE_BYTES) {
            // Accepted (the HTTPS path has no frame), but a careful WMS may not: the batch is a §3 message.
            state.violation(gatewayId + ": HTTPS batch of " + body.length + " bytes exceeds the 1 MiB message limit");
        }
        JsonNode batch = jsonBody(body);
        Intake intake = new Intake(state, state.ledger(grant.tenantId(), grant.gatewayId()), "https", node.port());
        String problem = !"batch".equals(batch.path("type").asText()) ? "body must be a batch message" : intake.batchProblem(batch.get("items"));
        if (problem == null) {
            problem = MessageValidator.rangesProblem(batch.get("dropped"), true);
        }
        if (problem != null) {
            throw new BadRequest(problem);
        }
        intake.dropped(batch.get("dropped"));
        List<ObjectNode> errors = intake.accept(batch.get("items"));
        ObjectNode ack = Json.object().put("type", "ack")
                .put("upTo", state.ledger(grant.tenantId(), grant.gatewayId()).lastReceivedSeq());
        if (!errors.isEmpty()) {
            ack.putArray("errors").addAll(errors); // extra field: ignored by gateways (forward compatibility)
        }
        return json(response, callback, 200, ack);
    }

    private boolean upgrade(Request request, Response response, Callback callback, String gatewayId, String[] identity)
            throws Exception {
        WmsState.TokenGrant grant = grant(request, gatewayId);
        if (grant == null) {
            return unauthorized(response, callback, "invalid or expired token");
        }
        if (!grant.tenantId().equals(identity[0]) || !grant.gatewayId().equals(identity[1])) {
            return json(response, callback, 403, Json.error("forbidden", "token and client certificate name different gateways"));
        }
        request.setAttribute(GRANT_ATTRIBUTE, grant);
        if (super.handle(request, response, callback)) {
            return true;
        }
        throw new BadRequest("WebSocket upgrade expected");
    }

    private WmsState.TokenGrant grant(Request request, String gatewayId) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        WmsState.TokenGrant grant = state.validGrant(authorization.substring(7).trim());
        return grant != null && grant.gatewayId().equals(gatewayId) ? grant : null;
    }

    private static JsonNode jsonBody(byte[] bytes) throws BadRequest {
        try {
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest("body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new BadRequest("body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("cannot read body: " + e);
        }
    }

    private static byte[] body(Request request) throws BadRequest {
        try (InputStream raw = Content.Source.asInputStream(request)) {
            InputStream in = gzipped(request) ? new GZIPInputStream(raw) : raw;
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new BadRequest("body larger than " + MAX_BODY + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new BadRequest("cannot read body: " + e.getMessage());
        }
    }

    private static boolean gzipped(Request request) {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    }

    static boolean unauthorized(Response response, Callback callback, String why) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        return json(response, callback, 401, Json.error("unauthorized", why));
    }

    static boolean json(Response response, Callback callback, int status, JsonNode body) {
        return text(response, callback, status, "application/json", Json.write(body));
    }

    static boolean text(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
        return true;
    }

    static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }
}
