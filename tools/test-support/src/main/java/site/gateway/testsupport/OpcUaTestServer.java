package site.gateway.testsupport;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.api.DataItem;
import org.eclipse.milo.opcua.sdk.server.api.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.api.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.api.config.OpcUaServerConfigLimits;
import org.eclipse.milo.opcua.sdk.server.api.services.AttributeServices.ReadContext;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.server.EndpointConfiguration;
import org.eclipse.milo.opcua.stack.server.security.DefaultServerCertificateValidator;

/**
 * A real OPC UA server (Eclipse Milo's server SDK) on 127.0.0.1 for the OPC UA driver's tests. It offers
 * two endpoints: security policy None, and Basic256Sha256 with SignAndEncrypt. Certificates are made here:
 * the server's own, and a client's that the server trusts, handed to the client as PKCS12 files (key store
 * with the client's key, trust store with the server's certificate). Variables live in namespace 2 as
 * {@code ns=2;s=<name>}; the test sets them as the PLC program would and reads what a client wrote.
 * {@link #restart()} stops the server and starts a new one on the same port with the same values.
 * {@link #readBatches()} records how many of these variables each Read service call asked for.
 */
public final class OpcUaTestServer implements AutoCloseable {
    public static final String CLIENT_APPLICATION_URI = "urn:apache:plc4x:client";
    public static final String STORE_PASSWORD = "test-only";
    /** The one user the server knows besides anonymous (its password is sent encrypted, Milo's Basic256 token policy). */
    public static final String USER = "operator";
    public static final String PASSWORD = "test-only-secret";
    private static final String SERVER_URI = "urn:site:gateway:test:opcua-server";
    private static final String NAMESPACE_URI = "urn:site:gateway:test:plc";

    private final Path dir;
    private final Limits limits;
    private final int port;
    private final KeyPair serverKeys;
    private final X509Certificate serverCertificate;
    private final X509Certificate clientCertificate;
    private final Map<String, Object> initial;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<Integer> readBatches = new CopyOnWriteArrayList<>();
    private OpcUaServer server;
    private TestNamespace namespace;
    private DefaultTrustListManager trustList; // watches its directory with a thread of its own: closed with the server

    /**
     * Starts a server whose namespace holds the given variables (name → initial value: Boolean, Byte (SByte), UByte,
     * Short, UShort, Integer, UInteger, Long, ULong, Float, Double, String).
     */
    public OpcUaTestServer(Path dir, Map<String, Object> variables) throws Exception {
        this(dir, variables, Limits.SHIPPED);
    }

    /**
     * The server's time limits: sessions idle longer than {@code maxSessionTimeoutMs} are closed (Milo revises a
     * request to at least 5 s), secure channel tokens live at most {@code maxChannelLifetimeMs}.
     */
    public record Limits(double maxSessionTimeoutMs, long maxChannelLifetimeMs) {
        /** Milo's own defaults: 2 min, 24 h. */
        public static final Limits SHIPPED = new Limits(120_000, 86_400_000L);
    }

    /** A server with the given time limits (for a client's keep-alive and renewal). */
    public OpcUaTestServer(Path dir, Map<String, Object> variables, Limits limits) throws Exception {
        this.limits = limits;
        this.dir = dir;
        this.initial = new LinkedHashMap<>(variables);
        this.values.putAll(variables);
        this.port = freePort();
        serverKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        serverCertificate = new SelfSignedCertificateBuilder(serverKeys).setCommonName("gateway test OPC UA server").setCountryCode("ES").setOrganization("site.gateway")
                .setApplicationUri(SERVER_URI).addDnsName("localhost").addIpAddress("127.0.0.1").build();
        KeyPair clientKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        clientCertificate = new SelfSignedCertificateBuilder(clientKeys).setCommonName("gateway test OPC UA client").setCountryCode("ES").setOrganization("site.gateway")
                .setApplicationUri(CLIENT_APPLICATION_URI).addDnsName("localhost").addIpAddress("127.0.0.1").build();
        writeStore(clientKeyStore(), store -> store.setKeyEntry("client", clientKeys.getPrivate(), STORE_PASSWORD.toCharArray(),
                new X509Certificate[] {clientCertificate}));
        writeStore(trustStore(), store -> store.setCertificateEntry("server", serverCertificate));
        start();
    }

    /** The PLC4X connection string without security. */
    public String connection() {
        return "opcua:tcp://127.0.0.1:" + port + "/test?discovery=false";
    }

    /**
     * The PLC4X connection string for Basic256Sha256 with SignAndEncrypt, the client's key store and the trust
     * store. Discovery on: PLC4X 0.13.1 learns the server's certificate from the endpoints (and checks it
     * against the trust store); without it and without server-certificate-file it fails with "/ by zero".
     */
    public String secureConnection() {
        return "opcua:tcp://127.0.0.1:" + port + "/test?discovery=true&security-policy=Basic256Sha256&message-security=SIGN_ENCRYPT"
                + "&key-store-file=" + clientKeyStore() + "&key-store-type=PKCS12&key-store-password=" + STORE_PASSWORD
                + "&trust-store-file=" + trustStore() + "&trust-store-type=PKCS12&trust-store-password=" + STORE_PASSWORD;
    }

    public Path clientKeyStore() {
        return dir.resolve("opcua-client.p12");
    }

    public Path trustStore() {
        return dir.resolve("opcua-trust.p12");
    }

    public int port() {
        return port;
    }

    /** Sets a variable, as the PLC program would; subscribers are told. */
    public synchronized void set(String name, Object value) {
        values.put(name, value);
        if (namespace != null) {
            namespace.node(name).setValue(new DataValue(new Variant(value)));
        }
    }

    /** A variable's current value (what a client wrote, for example). */
    public synchronized Object get(String name) {
        return namespace.node(name).getValue().getValue().getValue();
    }

    /** Per Read service call that asked for variables of the test namespace: how many (in call order, since start). */
    /** How many sessions clients have created since this server (instance) started. */
    public synchronized long sessionsCreated() {
        return server.getDiagnosticsSummary().getCumulatedSessionCount().sum();
    }

    /** How many sessions this server (instance) closed because their client left them idle past their timeout. */
    public synchronized long sessionsTimedOut() {
        return server.getDiagnosticsSummary().getSessionTimeoutCount().sum();
    }

    public List<Integer> readBatches() {
        return List.copyOf(readBatches);
    }

    /** Stops the server and starts a new one on the same port, with the current values. */
    public synchronized void restart() throws Exception {
        stop();
        start();
    }

    public synchronized void stop() {
        if (server != null) {
            for (String name : initial.keySet()) {
                values.put(name, get(name));
            }
            try {
                server.shutdown().get(30, TimeUnit.SECONDS);
                trustList.close();
            } catch (Exception e) {
                throw new IllegalStateException("OPC UA server did not stop", e);
            }
            server = null;
            namespace = null;
        }
    }

    public synchronized void start() throws Exception {
        Path pki = dir.resolve("opcua-server-pki");
        Files.createDirectories(pki);
        trustList = new DefaultTrustListManager(pki.toFile());
        trustList.setTrustedCertificates(List.of(clientCertificate));
        EndpointConfiguration.Builder base = EndpointConfiguration.newBuilder().setBindAddress("127.0.0.1")
                .setHostname("127.0.0.1").setPath("/test").setBindPort(port).setCertificate(serverCertificate)
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS, OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        Set<EndpointConfiguration> endpoints = Set.of(
                base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build(),
                base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256).setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
        OpcUaServerConfig config = OpcUaServerConfig.builder().setApplicationUri(SERVER_URI)
                .setApplicationName(LocalizedText.english("gateway test OPC UA server")).setProductUri(SERVER_URI)
                .setEndpoints(endpoints)
                .setBuildInfo(new BuildInfo(SERVER_URI, "site.gateway", "test server", OpcUaServer.SDK_VERSION, "", DateTime.now()))
                .setCertificateManager(new DefaultCertificateManager(serverKeys, serverCertificate))
                .setTrustListManager(trustList)
                .setCertificateValidator(new DefaultServerCertificateValidator(trustList))
                .setIdentityValidator(new UsernameIdentityValidator(true,
                        user -> USER.equals(user.getUsername()) && PASSWORD.equals(user.getPassword())))
                .setLimits(new OpcUaServerConfigLimits() {
                    @Override
                    public Double getMaxSessionTimeout() {
                        return limits.maxSessionTimeoutMs();
                    }
                })
                .setMinimumSecureChannelLifetime(uint(Math.min(60_000, limits.maxChannelLifetimeMs())))
                .setMaximumSecureChannelLifetime(uint(limits.maxChannelLifetimeMs()))
                .build();
        server = new OpcUaServer(config);
        namespace = new TestNamespace(server, values, readBatches);
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            try {
                server.shutdown().get(30, TimeUnit.SECONDS);
                trustList.close();
            } catch (Exception ignored) {
                // closing anyway
            }
            server = null;
        }
    }

    private interface StoreFiller {
        void fill(KeyStore store) throws Exception;
    }

    private static void writeStore(Path file, StoreFiller filler) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        filler.fill(store);
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The variables, read-write, under Objects/Gateway, with subscriptions served by Milo's SubscriptionModel. */
    private static final class TestNamespace extends ManagedNamespaceWithLifecycle {
        private final SubscriptionModel subscriptions;
        private final Map<String, UaVariableNode> nodes = new LinkedHashMap<>();
        private final List<Integer> readBatches;

        TestNamespace(OpcUaServer server, Map<String, Object> values, List<Integer> readBatches) {
            super(server, NAMESPACE_URI);
            this.readBatches = readBatches;
            subscriptions = new SubscriptionModel(server, this);
            getLifecycleManager().addLifecycle(subscriptions);
            getLifecycleManager().addStartupTask(() -> createNodes(values));
        }

        UaVariableNode node(String name) {
            UaVariableNode node = nodes.get(name);
            if (node == null) {
                throw new IllegalArgumentException("no variable " + name);
            }
            return node;
        }

        private void createNodes(Map<String, Object> values) {
            UaFolderNode folder = new UaFolderNode(getNodeContext(), newNodeId("Gateway"), newQualifiedName("Gateway"),
                    LocalizedText.english("Gateway"));
            getNodeManager().addNode(folder);
            folder.addReference(new Reference(folder.getNodeId(), Identifiers.Organizes, Identifiers.ObjectsFolder.expanded(), false));
            values.forEach((name, value) -> {
                UaVariableNode node = new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                        .setNodeId(newNodeId(name))
                        .setAccessLevel(AccessLevel.READ_WRITE)
                        .setUserAccessLevel(AccessLevel.READ_WRITE)
                        .setBrowseName(newQualifiedName(name))
                        .setDisplayName(LocalizedText.english(name))
                        .setDataType(dataType(value))
                        .setTypeDefinition(Identifiers.BaseDataVariableType)
                        .build();
                node.setValue(new DataValue(new Variant(value)));
                getNodeManager().addNode(node);
                folder.addOrganizes(node);
                nodes.put(name, node);
            });
        }

        /** Milo calls this once per Read service call with this namespace's part of it. */
        @Override
        public void read(ReadContext context, Double maxAge, TimestampsToReturn timestamps, List<ReadValueId> ids) {
            readBatches.add(ids.size());
            super.read(context, maxAge, timestamps, ids);
        }

        private static NodeId dataType(Object value) {
            if (value instanceof Boolean) {
                return Identifiers.Boolean;
            } else if (value instanceof Byte) {
                return Identifiers.SByte;
            } else if (value instanceof UByte) {
                return Identifiers.Byte;
            } else if (value instanceof UShort) {
                return Identifiers.UInt16;
            } else if (value instanceof UInteger) {
                return Identifiers.UInt32;
            } else if (value instanceof Long) {
                return Identifiers.Int64;
            } else if (value instanceof ULong) {
                return Identifiers.UInt64;
            } else if (value instanceof Short) {
                return Identifiers.Int16;
            } else if (value instanceof Integer) {
                return Identifiers.Int32;
            } else if (value instanceof Float) {
                return Identifiers.Float;
            } else if (value instanceof Double) {
                return Identifiers.Double;
            } else if (value instanceof String) {
                return Identifiers.String;
            }
            throw new IllegalArgumentException("unsupported type " + value.getClass());
        }

        @Override
        public void onDataItemsCreated(List<DataItem> items) {
            subscriptions.onDataItemsCreated(items);
        }

        @Override
        public void onDataItemsModified(List<DataItem> items) {
            subscriptions.onDataItemsModified(items);
        }

        @Override
        public void onDataItemsDeleted(List<DataItem> items) {
            subscriptions.onDataItemsDeleted(items);
        }

        @Override
        public void onMonitoringModeChanged(List<MonitoredItem> items) {
            subscriptions.onMonitoringModeChanged(items);
        }
    }
}
