package site.gateway.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLSocket;

import org.osgi.util.converter.Converters;

import site.gateway.api.crypto.TlsContextProvider;
import site.gateway.api.wms.SessionInfo;
import site.gateway.api.wms.SessionState;
import site.gateway.api.wms.WmsSessionOpen;
import site.gateway.crypto.rotation.CertificateRotator;
import site.gateway.testsupport.RecordingAlerts;
import site.gateway.testsupport.RecordingAudit;

/** A gateway home with a fresh test PKI, and a running crypto component over it. */
public final class CryptoFixture implements AutoCloseable {
    public static final String PASSPHRASE = "correct horse battery staple";

    public final Path home;
    public final Path certs;
    public final TestPki.Issued ca;
    public final TestPki.Issued client;
    public final RecordingAudit audit = new RecordingAudit();
    public final RecordingAlerts alerts = new RecordingAlerts();
    public final Map<String, String> env = new HashMap<>();
    public CryptoComponent component;
    /** As if the JVM had -Dgateway.allowDevelopmentMode=true. */
    public boolean developmentModeAllowed;

    public CryptoFixture(Path home) throws Exception {
        this(home, TestPki.ca("Test WMS CA"));
        TestPki.writeGatewayFiles(certs, client, PASSPHRASE, ca.cert());
    }

    private CryptoFixture(Path home, TestPki.Issued ca) throws Exception {
        this.home = home;
        this.certs = home.resolve("certs");
        this.ca = ca;
        this.client = ca == null ? null : TestPki.client(ca, "gw-01", "acme");
    }

    /** Over a home whose files someone else (the sandbox's PKI) wrote. */
    public static CryptoFixture existing(Path home) throws Exception {
        return new CryptoFixture(home, null);
    }

    public static CryptoConfig config(Map<String, Object> values) {
        Map<String, Object> m = new HashMap<>();
        m.put("pollIntervalMs", 100L);
        m.putAll(values);
        return Converters.standardConverter().convert(m).to(CryptoConfig.class);
    }

    /** A crypto component over this home with the recording audit trail and alerts bound, not configured yet. */
    public CryptoComponent create() {
        component = new CryptoComponent(new GatewayPaths(home), Clock.systemUTC(), (Function<String, String>) env::get,
                developmentModeAllowed);
        component.bindAudit(audit);
        component.bindAlerts(alerts);
        return component;
    }

    /** Activates (or modifies) the component made by {@link #create} with these values. */
    public void configure(Map<String, Object> values) {
        component.configure(config(values));
    }

    public CryptoComponent start(Map<String, Object> values) {
        create();
        configure(values);
        return component;
    }

    public CryptoComponent start() {
        return start(Map.of());
    }

    /** The properties of the component's {@code TlsContextGeneration} marker now. */
    public Map<String, Object> announced() {
        return component.announced();
    }

    /** Binds (or updates) the transport's {@code WmsCertificateVerdict} with these properties, as SCR would. */
    public void verdict(Map<String, Object> properties) {
        component.updatedVerdict(VERDICT, properties);
    }

    /** Binds the transport's {@code WmsSessionOpen} marker, as SCR would. */
    public void sessionOpened(WmsSessionOpen open) {
        component.bindSession(open);
    }

    /** Activates the component made by {@link #create} in a framework given by {@code context}. */
    public void activate(org.osgi.framework.BundleContext context, Map<String, Object> values) {
        component.activate(context, config(values));
    }

    private static final site.gateway.api.wms.WmsCertificateVerdict VERDICT = new site.gateway.api.wms.WmsCertificateVerdict() {
    };

    /** The rotation part of the component. */
    public CertificateRotator rotation() {
        return component.rotation();
    }

    /** The transport's marker of a WMS session open at {@code endpoint} since {@code connectedSince}. */
    public static WmsSessionOpen sessionOpen(String endpoint, long connectedSince) {
        return sessionOpen(endpoint, connectedSince, 0);
    }

    /** The same, opened over connections made with TLS context {@code tlsGeneration}. */
    public static WmsSessionOpen sessionOpen(String endpoint, long connectedSince, long tlsGeneration) {
        SessionInfo info = new SessionInfo(SessionState.CONNECTED, endpoint, "s-1", connectedSince, 0, 10, 0, 0);
        return new WmsSessionOpen() {
            @Override
            public long tlsGeneration() {
                return tlsGeneration;
            }

            @Override
            public SessionInfo opened() {
                return info;
            }

            @Override
            public String closeReason() {
                return null;
            }

            @Override
            public boolean closedOnPurpose() {
                return false;
            }
        };
    }

    /** One HTTPS-like exchange over a fresh socket from the provider's context; returns the response. */
    public static String exchange(TlsContextProvider provider, String host, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) provider.sslContext().getSocketFactory().createSocket(host, port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() {
        if (component != null) {
            component.deactivate();
        }
    }
}
