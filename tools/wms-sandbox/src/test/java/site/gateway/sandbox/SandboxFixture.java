package site.gateway.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import site.gateway.sandbox.pki.DevPki;

/** One development PKI per test class; per test a sandbox and a client for it, both stopped afterwards. */
abstract class SandboxFixture {
    static DevPki pki;
    WmsSandbox wms;
    TestGateway gateway;

    @BeforeAll
    static void pki() {
        pki = DevPki.generate("acme", "gw-01");
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (wms != null) {
            wms.stop();
        }
    }

    void start(WmsSandbox.Builder builder) throws Exception {
        wms = builder.start();
        gateway = new TestGateway(pki.gatewayCertificate(), pki.caCertificate());
    }
}
