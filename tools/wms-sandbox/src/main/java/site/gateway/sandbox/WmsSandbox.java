package site.gateway.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.gateway.sandbox.pki.CertificateAuthority;
import site.gateway.sandbox.pki.DevPki;
import site.gateway.sandbox.pki.IssuedCertificate;

import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The WMS side of protocol v1 on Jetty 12: HTTPS with mutual TLS (TLS 1.3, or 1.2 only on request),
 * the §2 endpoints, the §3 WebSocket session, and hooks and fault switches for tests.
 *
 * <pre>
 * DevPki pki = DevPki.generate("acme", "gw-01");
 * try (WmsSandbox wms = WmsSandbox.builder(pki).heartbeatIntervalSeconds(1).start()) {
 *     ... point the gateway at wms.baseUrl() ...
 *     wms.awaitLastReceivedSeq("gw-01", 10, Duration.ofSeconds(5));
 * }
 * </pre>
 *
 * Several instances built with {@link Builder#sharedWith} are nodes of one WMS (§4): they share
 * ledgers, tokens, registrations and the recorded messages; fault switches stay per node.
 */
public final class WmsSandbox implements AutoCloseable {

    public static final String SUBPROTOCOL = "wms.v1";
    public static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(WmsSandbox.class);

    /** A refusal switch: {@code status} (429/503...) with {@code Retry-After} unless negative; empty routes = all. */
    public record Refusal(int status, int retryAfterSeconds, Set<Route> routes) {
        public boolean appliesTo(Route route) {
            return routes.isEmpty() || routes.contains(route);
        }
    }

    private final DevPki pki;
    final WmsState state;
    final Renewals renewals;
    final boolean supersedeSessions;
    final boolean closeOnTokenExpiry;
    final boolean logMessages;
    final Set<GatewaySocket> sockets = ConcurrentHashMap.newKeySet();
    final ScheduledExecutorService scheduler;
    private final Server server;
    private final ServerConnector connector;
    private final List<TlsObservation> tlsObservations = new CopyOnWriteArrayList<>();
    private final Map<Route, AtomicInteger> requestCounts = new EnumMap<>(Route.class);
    private final Map<Route, AtomicInteger> gzipRequestCounts = new EnumMap<>(Route.class);
    private final Map<GatewaySocket, Long> lastHeartbeat = new ConcurrentHashMap<>();
    private final AdminServer admin;
    private volatile int port;
    private volatile boolean offline;

    volatile int heartbeatIntervalSeconds;
    volatile Duration ackDelay;
    volatile boolean acking = true;
    volatile boolean silent;
    /** A message to send just before the next welcome (a WMS whose command crosses the gateway's hello). */
    final java.util.concurrent.atomic.AtomicReference<String> beforeWelcome = new java.util.concurrent.atomic.AtomicReference<>();
    /** A message to send as soon as the next WebSocket is open, before the gateway's hello. */
    final java.util.concurrent.atomic.AtomicReference<String> onOpen = new java.util.concurrent.atomic.AtomicReference<>();
    volatile boolean heartbeats = true;
    volatile Refusal refusal;
    volatile UpgradeFault upgradeFault = UpgradeFault.NONE;
    /** A second TLS port that register answers give as {@code websocketUrl} (null: the HTTPS port). */
    private final ServerConnector webSocketConnector;
    volatile RenewalFault renewalFault = RenewalFault.NONE;

    private WmsSandbox(Builder b) {
        this.pki = b.pki;
        this.state = b.shared != null ? b.shared.state : new WmsState(b.tokenLifetime, b.maxRetainedMessages);
        if (b.shared != null && b.tokenLifetimeSet) {
            state.tokenLifetime = b.tokenLifetime;
        }
        this.renewals = b.shared != null ? b.shared.renewals : new Renewals(pki.ca(), b.renewalValidity);
        this.supersedeSessions = b.supersedeSessions;
        this.closeOnTokenExpiry = b.closeOnTokenExpiry;
        this.logMessages = b.logMessages;
        this.heartbeatIntervalSeconds = b.heartbeatIntervalSeconds;
        this.ackDelay = b.ackDelay;
        for (Route route : Route.values()) {
            requestCounts.put(route, new AtomicInteger());
            gzipRequestCounts.put(route, new AtomicInteger());
        }

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("wms-sandbox");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        secure.setSniRequired(false);
        http.addCustomizer(secure);
        connector = new ServerConnector(server,
                new SslConnectionFactory(ServerTls.create(b.serverCertificate != null ? b.serverCertificate : pki.serverCertificate(),
                        pki.caCertificate(), b.clientCheck, b.tls12Only), "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        server.addConnector(connector);
        if (b.separateWebSocketPort) {
            webSocketConnector = new ServerConnector(server,
                    new SslConnectionFactory(ServerTls.create(b.serverCertificate != null ? b.serverCertificate : pki.serverCertificate(),
                            pki.caCertificate(), b.clientCheck, b.tls12Only), "http/1.1"),
                    new HttpConnectionFactory(http));
            webSocketConnector.setHost(b.host);
            webSocketConnector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
            server.addConnector(webSocketConnector);
        } else {
            webSocketConnector = null;
        }
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(b.maxMessageBytes);
            container.setMaxBinaryMessageSize(b.maxMessageBytes);
            container.setMaxFrameSize(b.maxMessageBytes); // one message per frame: the frame limit is the message limit
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping(new UriTemplatePathSpec("/api/v1/gateways/{gatewayId}/ws"), this::createSocket);
        });
        server.setHandler(new ApiHandler(this, state, upgrade));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wms-sandbox-timer");
            t.setDaemon(true);
            return t;
        });
        admin = b.adminPort >= 0 ? new AdminServer(this, b.host, b.adminPort) : null;
    }

    public static Builder builder(DevPki pki) {
        return new Builder(pki);
    }

    private WmsSandbox startServer() throws Exception {
        server.start();
        port = connector.getLocalPort();
        connector.setPort(port); // so that goOnline() reopens the same port
        if (webSocketConnector != null) {
            webSocketConnector.setPort(webSocketConnector.getLocalPort());
        }
        scheduler.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
        if (admin != null) {
            admin.start();
        }
        LOG.info("WMS sandbox listening on {} ({})", baseUrl(), connector.getHost());
        return this;
    }

    private Object createSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, org.eclipse.jetty.util.Callback callback) {
        WmsState.TokenGrant grant = (WmsState.TokenGrant) request.getAttribute(ApiHandler.GRANT_ATTRIBUTE);
        if (grant == null) {
            Response.writeError(request, response, callback, 401, "no token");
            return null;
        }
        if (!request.getSubProtocols().contains(SUBPROTOCOL)) {
            state.violation(grant.gatewayId() + ": WebSocket upgrade without subprotocol " + SUBPROTOCOL);
            Response.writeError(request, response, callback, 400, "subprotocol " + SUBPROTOCOL + " required");
            return null;
        }
        response.setAcceptedSubProtocol(SUBPROTOCOL);
        return new GatewaySocket(this, state, grant.tenantId(), grant.gatewayId(), grant.sessionId());
    }

    /** Every 100 ms: heartbeats that are due, and sessions whose token ran out (4401). */
    private void tick() {
        try {
            long now = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(heartbeatIntervalSeconds);
            for (GatewaySocket socket : sockets) {
                if (closeOnTokenExpiry && state.sessionExpired(socket.sessionId)) {
                    socket.close(4401, "token expired");
                    continue;
                }
                long last = lastHeartbeat.computeIfAbsent(socket, s -> now);
                if (heartbeats && now - last >= interval) {
                    lastHeartbeat.put(socket, now);
                    socket.heartbeat();
                }
            }
            lastHeartbeat.keySet().retainAll(sockets);
        } catch (RuntimeException e) {
            LOG.warn("Sandbox timer failed", e);
        }
    }

    // ---- lifecycle and addresses ----

    public int port() {
        return port;
    }

    /** {@code https://localhost:<port>}: the name the server certificate carries. */
    public String baseUrl() {
        return "https://localhost:" + port;
    }

    /** The port register answers give in {@code websocketUrl}: the separate WebSocket port if any. */
    int webSocketPort(int requestPort) {
        return webSocketConnector == null ? requestPort : webSocketConnector.getLocalPort();
    }

    /** The separate WebSocket port ({@link Builder#separateWebSocketPort}), or the HTTPS port. */
    public int webSocketPort() {
        return webSocketPort(port);
    }

    public URI websocketUrl(String gatewayId) {
        return URI.create("wss://localhost:" + port + "/api/v1/gateways/" + gatewayId + "/ws");
    }

    /** The admin HTTP port (plain HTTP on the bind host), or -1 without admin server. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public DevPki pki() {
        return pki;
    }

    public CertificateAuthority ca() {
        return pki.ca();
    }

    public void stop() {
        try {
            scheduler.shutdownNow();
            if (admin != null) {
                admin.stop();
            }
            server.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the sandbox failed", e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    // ---- fault switches ----

    /** Closes every TCP connection of this node at once, without a close frame (a network failure). */
    public void dropConnections() {
        for (EndPoint endPoint : connector.getConnectedEndPoints()) {
            endPoint.close();
        }
        if (webSocketConnector != null) {
            for (EndPoint endPoint : webSocketConnector.getConnectedEndPoints()) {
                endPoint.close();
            }
        }
    }

    /** Drops every connection and stops listening: connections are refused until {@link #goOnline()}. */
    public synchronized void goOffline() {
        offline = true;
        dropConnections();
        try {
            connector.stop();
            if (webSocketConnector != null) {
                webSocketConnector.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the connector", e);
        }
        dropConnections();
    }

    /** Listens again on the same port. */
    public synchronized void goOnline() {
        try {
            connector.start();
            if (webSocketConnector != null) {
                webSocketConnector.start();
            }
            offline = false;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot reopen port " + port, e);
        }
    }

    public boolean isOffline() {
        return offline;
    }

    /** Answers {@code status} (e.g. 503 or 429) on the given routes (none = all), with {@code Retry-After} unless negative. */
    public void refuse(int status, int retryAfterSeconds, Route... routes) {
        refusal = new Refusal(status, retryAfterSeconds, routes.length == 0 ? Set.of() : EnumSet.of(routes[0], routes));
    }

    /** Resets or leaves unanswered every WebSocket upgrade (a path that blocks WebSockets); NONE to stop. */
    public void setUpgradeFault(UpgradeFault fault) {
        upgradeFault = fault;
    }

    public void stopRefusing() {
        refusal = null;
    }

    /** Off: durable messages are stored but not acknowledged. Switching it on sends the ack that is due. */
    public void setAcking(boolean on) {
        acking = on;
        if (on) {
            sockets.forEach(GatewaySocket::resume);
        }
    }

    /** Delay before acknowledging, to coalesce acks (0 = after every frame). */
    public void setAckDelay(Duration delay) {
        ackDelay = delay;
    }

    /**
     * On: this node neither reads nor writes on its WebSocket sessions (no acks, heartbeats or
     * pongs): a half-open connection as the gateway sees it. Off: reading and writing resume.
     */
    public void setSilent(boolean on) {
        silent = on;
        if (!on) {
            sockets.forEach(GatewaySocket::resume);
        }
    }

    /** Off: no WMS heartbeats (other frames still flow). */
    public void setHeartbeats(boolean on) {
        heartbeats = on;
    }

    public void setHeartbeatIntervalSeconds(int seconds) {
        heartbeatIntervalSeconds = seconds;
    }

    /** Closes this node's WebSocket sessions with the code (1000, 1001, 1012, 4401, 4403, 4409, 1009...). */
    public void closeSessions(int code, String reason) {
        for (GatewaySocket socket : sockets) {
            socket.close(code, reason);
        }
    }

    /** Sends {@code {"type":"reregister"}} on every open session of this WMS. */
    public void sendReregister() {
        state.sockets().forEach(s -> s.sendRaw("{\"type\":\"reregister\"}"));
    }

    /** Lifetime of tokens issued from now on (shared by all nodes). */
    public void setTokenLifetime(Duration lifetime) {
        state.tokenLifetime = lifetime;
    }

    /** Every token expires now: refresh answers 401, open sessions are closed with 4401 (if enabled). */
    public void expireTokensNow() {
        state.expireAllTokens();
    }

    public void setRenewalFault(RenewalFault fault) {
        renewalFault = fault;
    }

    /** Validity of certificates issued by §2.3 renewal. */
    public void setRenewalValidity(Duration validity) {
        renewals.validity = validity;
    }

    // ---- sending to the gateway ----

    /** A new unsigned command for the gateway's current session: commandId, ids, issuedAt now, expiresAt now + 60 s. */
    public ObjectNode newCommand(String plcId, String kind, JsonNode payload) {
        long now = System.currentTimeMillis();
        ObjectNode command = Json.object().put("type", "command").put("commandId", "c-" + WmsState.randomId(8))
                .put("tenantId", pki.tenantId()).put("gatewayId", pki.gatewayId()).put("plcId", plcId).put("kind", kind);
        command.set("payload", payload);
        command.put("issuedAt", now).put("expiresAt", now + 60_000).put("kid", pki.commandKey().kid());
        return command;
    }

    public CommandSigner commandSigner() {
        return new CommandSigner(pki.commandKey());
    }

    /**
     * Sends a command to the session of its {@code gatewayId}: signed with the sandbox key unless it
     * already has a {@code sig} (send tampered ones as they are). Returns what was sent.
     */
    public ObjectNode sendCommand(ObjectNode command) {
        ObjectNode signed = command.hasNonNull("sig") ? command : commandSigner().sign(command);
        sendRaw(command.path("gatewayId").asText(pki.gatewayId()), Json.write(signed));
        return signed;
    }

    /** Sends a syntactically valid JSON message of about {@code bytes} bytes in one frame (for the gateway's 1009 handling). */
    public void sendOversizedFrame(String gatewayId, int bytes) {
        sendRaw(gatewayId, "{\"type\":\"padding\",\"data\":\"" + "x".repeat(Math.max(0, bytes - 30)) + "\"}");
    }

    /**
     * Sends the command (signed unless it has a {@code sig}) on the next session right before the welcome,
     * as a WMS does whose command crosses the gateway's hello. Returns what will be sent.
     */
    public ObjectNode sendCommandBeforeNextWelcome(ObjectNode command) {
        ObjectNode signed = command.hasNonNull("sig") ? command : commandSigner().sign(command);
        beforeWelcome.set(Json.write(signed));
        return signed;
    }

    /** Sends the command (signed unless it has a {@code sig}) as the first frame of the next session, before any hello. */
    public ObjectNode sendCommandOnNextOpen(ObjectNode command) {
        ObjectNode signed = command.hasNonNull("sig") ? command : commandSigner().sign(command);
        onOpen.set(Json.write(signed));
        return signed;
    }

    /** Sends any text as one frame to the gateway's open session (malformed JSON, oversized frames...). */
    public void sendRaw(String gatewayId, String text) {
        GatewaySocket socket = state.socketOf(gatewayId);
        if (socket == null || !socket.sendRaw(text)) {
            throw new IllegalStateException("No open WebSocket session of " + gatewayId);
        }
    }

    // ---- observations ----

    void observe(TlsObservation observation, Route route) {
        tlsObservations.add(observation);
        requestCounts.get(route).incrementAndGet();
        state.signal();
    }

    void observeGzip(Route route) {
        gzipRequestCounts.get(route).incrementAndGet();
    }

    boolean acceptsClient(X509Certificate certificate) {
        try {
            certificate.checkValidity();
            certificate.verify(pki.caCertificate().getPublicKey());
            return !pki.ca().isRevoked(certificate.getSerialNumber());
        } catch (Exception e) {
            return false;
        }
    }

    /** TLS parameters of every request this node served (protocol, cipher suite, client certificate). */
    public List<TlsObservation> tlsObservations() {
        return List.copyOf(tlsObservations);
    }

    /** Serials of the client certificates seen by this node, in order of first use. */
    public Set<BigInteger> clientCertificateSerials() {
        Set<BigInteger> serials = new LinkedHashSet<>();
        for (TlsObservation o : tlsObservations) {
            if (o.clientCertificateSerial() != null) {
                serials.add(o.clientCertificateSerial());
            }
        }
        return serials;
    }

    /** Requests this node received on a route (counted before fault switches and checks). */
    public int requestCount(Route route) {
        return requestCounts.get(route).get();
    }

    /** Requests on {@code route} whose body came with {@code Content-Encoding: gzip} (and decoded). */
    public int gzipRequestCount(Route route) {
        return gzipRequestCounts.get(route).get();
    }

    /** Successful registrations on all nodes of this WMS. */
    public List<Registration> registrations() {
        return List.copyOf(state.registrations);
    }

    public int registrationCount() {
        return state.registrations.size();
    }

    /** WebSocket sessions of all nodes, open and closed, in order of opening. */
    public List<SessionRecord> sessions() {
        return state.sessionRecords();
    }

    /** The open session of a gateway on any node, or null. */
    public SessionRecord openSession(String gatewayId) {
        GatewaySocket socket = state.socketOf(gatewayId);
        return socket == null ? null : socket.record();
    }

    /** Number of open WebSocket sessions on this node. */
    public int openSessionCount() {
        return sockets.size();
    }

    /** Stored durable messages of a gateway in seq order (each seq once). */
    public List<ReceivedMessage> receivedDurable(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? List.of() : ledger.messages();
    }

    /** The stored durable message with that seq, or null. */
    public ReceivedMessage receivedDurable(String gatewayId, long seq) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? null : ledger.message(seq);
    }

    /** Number of distinct durable messages stored for the gateway (also when messages are not retained). */
    public long storedCount(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? 0 : ledger.storedCount();
    }

    /** Durable messages received again after they were stored (resends). */
    public long duplicateCount(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? 0 : ledger.duplicates();
    }

    /** lastReceivedSeq of the gateway (§3.1): every seq up to it stored or announced dropped. */
    public long lastReceivedSeq(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? 0 : ledger.lastReceivedSeq();
    }

    /** Dropped ranges announced by the gateway, as [from, to] pairs. */
    public List<long[]> droppedRanges(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? List.of() : ledger.droppedRanges();
    }

    /** How many command.result messages (distinct seqs) the WMS stored per commandId. */
    public Map<String, Integer> commandResultCounts(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? Map.of() : ledger.resultsPerCommand();
    }

    /** What the gateway's ledger shows about loss and honesty: holes, reused seqs, announced and alerted drops. */
    public LedgerReport ledgerReport(String gatewayId) {
        GatewayLedger ledger = state.ledgerOf(gatewayId);
        return ledger == null ? new GatewayLedger("", gatewayId, 0).report() : ledger.report();
    }

    /** Non-durable messages (hello, heartbeat, status, dropped, command.ack, error, unknown types), oldest first. */
    public List<ReceivedMessage> receivedNonDurable() {
        return new ArrayList<>(state.nonDurable);
    }

    public List<ReceivedMessage> receivedNonDurable(String type) {
        return state.nonDurable.stream().filter(m -> m.type().equals(type)).toList();
    }

    /** Durable messages acknowledged but reported as {@code rejected}. */
    public List<Rejection> rejections() {
        return List.copyOf(state.rejections);
    }

    /** Protocol violations by the gateway that the sandbox noticed (empty for a conforming gateway). */
    public List<String> protocolViolations() {
        return List.copyOf(state.violations);
    }

    /** Certificates issued by §2.3 renewal. */
    public List<X509Certificate> renewedCertificates() {
        return List.copyOf(renewals.issued);
    }

    // ---- waiting (AssertionError on timeout) ----

    public void await(String what, java.util.function.BooleanSupplier condition, Duration timeout) {
        if (!state.await(condition, timeout)) {
            throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
        }
    }

    public void awaitLastReceivedSeq(String gatewayId, long seq, Duration timeout) {
        await(gatewayId + " lastReceivedSeq >= " + seq + " (is " + lastReceivedSeq(gatewayId) + ")",
                () -> lastReceivedSeq(gatewayId) >= seq, timeout);
    }

    public ReceivedMessage awaitDurable(String gatewayId, long seq, Duration timeout) {
        await("durable seq " + seq + " of " + gatewayId, () -> receivedDurable(gatewayId, seq) != null, timeout);
        return receivedDurable(gatewayId, seq);
    }

    /** The first non-durable message of the type matching the predicate, received after {@code since}. */
    public ReceivedMessage awaitNonDurable(String type, Predicate<JsonNode> match, Instant since, Duration timeout) {
        ReceivedMessage[] found = new ReceivedMessage[1];
        await(type + " message", () -> {
            for (ReceivedMessage m : state.nonDurable) {
                if (m.type().equals(type) && !m.receivedAt().isBefore(since) && match.test(m.json())) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        }, timeout);
        return found[0];
    }

    public ReceivedMessage awaitNonDurable(String type, Duration timeout) {
        return awaitNonDurable(type, m -> true, Instant.EPOCH, timeout);
    }

    public JsonNode awaitCommandAck(String commandId, Duration timeout) {
        return awaitNonDurable("command.ack", m -> commandId.equals(m.path("commandId").asText()), Instant.EPOCH, timeout).json();
    }

    public ReceivedMessage awaitCommandResult(String gatewayId, String commandId, Duration timeout) {
        ReceivedMessage[] found = new ReceivedMessage[1];
        await("command.result of " + commandId, () -> {
            for (ReceivedMessage m : receivedDurable(gatewayId)) {
                if ("command.result".equals(m.type()) && commandId.equals(m.json().path("commandId").asText())) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        }, timeout);
        return found[0];
    }

    /** Waits for an open WebSocket session of the gateway (after welcome has been possible). */
    public SessionRecord awaitSession(String gatewayId, Duration timeout) {
        await("open session of " + gatewayId, () -> openSession(gatewayId) != null, timeout);
        return openSession(gatewayId);
    }

    public void awaitRegistrations(int count, Duration timeout) {
        await(count + " registrations", () -> registrationCount() >= count, timeout);
    }

    // ---- builder ----

    public static final class Builder {
        private final DevPki pki;
        private String host = "127.0.0.1";
        private int port;
        private int adminPort = -1;
        private IssuedCertificate serverCertificate;
        private boolean tls12Only;
        private ClientCertificateCheck clientCheck = ClientCertificateCheck.HANDSHAKE;
        private int heartbeatIntervalSeconds = 10;
        private Duration tokenLifetime = Duration.ofHours(1);
        private boolean tokenLifetimeSet;
        private Duration ackDelay = Duration.ofMillis(5);
        private Duration renewalValidity = Duration.ofDays(365);
        private int maxMessageBytes = MAX_MESSAGE_BYTES;
        private int maxRetainedMessages = 200_000;
        private boolean supersedeSessions = true;
        private boolean closeOnTokenExpiry = true;
        private boolean logMessages;
        private WmsSandbox shared;
        private boolean separateWebSocketPort;

        private Builder(DevPki pki) {
            this.pki = pki;
        }

        /** Bind address (default 127.0.0.1). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** HTTPS port (default 0: a free one, see {@link WmsSandbox#port()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Plain-HTTP admin endpoints for the demo on this port (0 = free port; default none). */
        public Builder adminPort(int adminPort) {
            this.adminPort = adminPort;
            return this;
        }

        /** Serve another certificate (expired, wrong host, untrusted, revoked...); default the PKI's localhost one. */
        public Builder serverCertificate(IssuedCertificate certificate) {
            this.serverCertificate = certificate;
            return this;
        }

        /** Offer TLS 1.2 only (the gateway must refuse such a server). */
        public Builder tls12Only(boolean on) {
            this.tls12Only = on;
            return this;
        }

        public Builder clientCertificateCheck(ClientCertificateCheck check) {
            this.clientCheck = check;
            return this;
        }

        /** Sent in the registration answer and used for the WMS heartbeats (default 10). */
        public Builder heartbeatIntervalSeconds(int seconds) {
            this.heartbeatIntervalSeconds = seconds;
            return this;
        }

        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            this.tokenLifetimeSet = true;
            return this;
        }

        /** Coalescing delay for acks (default 5 ms; 0 = ack after every frame). */
        public Builder ackDelay(Duration delay) {
            this.ackDelay = delay;
            return this;
        }

        public Builder renewalValidity(Duration validity) {
            this.renewalValidity = validity;
            return this;
        }

        /** Frames larger than this (after decompression) are closed with 1009 (default 1 MiB). */
        public Builder maxMessageBytes(int bytes) {
            this.maxMessageBytes = bytes;
            return this;
        }

        /**
         * Bodies of durable messages kept per gateway for {@link WmsSandbox#receivedDurable} (default
         * 200,000; the oldest go first). 0 keeps none: throughput runs. Dedup and counts are unaffected.
         */
        public Builder maxRetainedMessages(int max) {
            this.maxRetainedMessages = max;
            return this;
        }

        /** A newer session of the same gateway closes the older one with 4409 (default true). */
        public Builder supersedeSessions(boolean on) {
            this.supersedeSessions = on;
            return this;
        }

        /** Close a session with 4401 once its token (including refreshes) has expired (default true). */
        public Builder closeOnTokenExpiry(boolean on) {
            this.closeOnTokenExpiry = on;
            return this;
        }

        /** Log every message received on the WebSocket at INFO (the command line's default; off here). */
        public Builder logMessages(boolean on) {
            this.logMessages = on;
            return this;
        }

        /**
         * Also listen on a second TLS port and give it as {@code websocketUrl} in register answers (§2.1 lets the
         * WMS choose): a proxy that allows only the HTTPS port then blocks the WebSocket.
         */
        public Builder separateWebSocketPort(boolean on) {
            this.separateWebSocketPort = on;
            return this;
        }

        /** Make this a further node of the same WMS as {@code other} (shared state, own port and switches). */
        public Builder sharedWith(WmsSandbox other) {
            this.shared = other;
            return this;
        }

        public WmsSandbox start() {
            WmsSandbox sandbox = new WmsSandbox(this);
            try {
                return sandbox.startServer();
            } catch (Exception e) {
                sandbox.stop();
                throw new IllegalStateException("Cannot start the WMS sandbox: " + e.getMessage(), e);
            }
        }
    }
}
