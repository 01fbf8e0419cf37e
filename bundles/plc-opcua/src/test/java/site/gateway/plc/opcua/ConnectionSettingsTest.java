package site.gateway.plc.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.junit.jupiter.api.Test;

/** PLC4X's OPC UA connection strings, as docs/plc.md and existing configurations write them. */
class ConnectionSettingsTest {
    @Test
    void theDocumentedSecureExampleParses() {
        ConnectionSettings s = ConnectionSettings.parse("opcua:tcp://10.0.0.7:4840/plc?discovery=true&security-policy=Basic256Sha256"
                + "&message-security=SIGN_ENCRYPT&key-store-file=/opt/gateway/certs/opcua-client.p12&key-store-type=PKCS12"
                + "&key-store-password=k&trust-store-file=/opt/gateway/certs/opcua-trust.p12&trust-store-type=PKCS12&trust-store-password=t");
        assertThat(s.endpointUrl()).isEqualTo("opc.tcp://10.0.0.7:4840/plc");
        assertThat(s.policy()).isEqualTo(SecurityPolicy.Basic256Sha256);
        assertThat(s.mode()).isEqualTo(MessageSecurityMode.SignAndEncrypt);
        assertThat(s.keyStoreFile()).isEqualTo("/opt/gateway/certs/opcua-client.p12");
        assertThat(s.keyStorePassword()).isEqualTo("k");
        assertThat(s.trustStoreFile()).isEqualTo("/opt/gateway/certs/opcua-trust.p12");
        assertThat(s.trustStorePassword()).isEqualTo("t");
        assertThat(s.toString()).doesNotContain("k&").doesNotContain("=t");
    }

    @Test
    void withoutOptionsItIsPolicyNoneOnPort4840() {
        ConnectionSettings s = ConnectionSettings.parse("opcua:tcp://plc.local");
        assertThat(s.endpointUrl()).isEqualTo("opc.tcp://plc.local:4840");
        assertThat(s.policy()).isEqualTo(SecurityPolicy.None);
        assertThat(s.mode()).isEqualTo(MessageSecurityMode.None);
        assertThat(s.username()).isNull();
        assertThat(ConnectionSettings.parse("opcua://[::1]:12686/x?security-policy=NONE&discovery=false").endpointUrl())
                .isEqualTo("opc.tcp://[::1]:12686/x");
        assertThat(ConnectionSettings.parse("opcua://[::1]:12686/x").host()).isEqualTo("::1");
    }

    @Test
    void signOnlyUserAndTimeoutAreTaken() {
        ConnectionSettings s = ConnectionSettings.parse("opcua:tcp://h:1/p?security-policy=basic256sha256&message-security=SIGN"
                + "&key-store-file=k.p12&server-certificate-file=server.der&username=op&password=secret&request-timeout=2500");
        assertThat(s.mode()).isEqualTo(MessageSecurityMode.Sign);
        assertThat(s.serverCertificateFile()).isEqualTo("server.der");
        assertThat(s.username()).isEqualTo("op");
        assertThat(s.password()).isEqualTo("secret");
        assertThat(s.requestTimeoutMs()).isEqualTo(2500);
    }

    @Test
    void whatCannotWorkIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ConnectionSettings.parse("s7://h")).hasMessageContaining("not an OPC UA connection string");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h?security-policy=Basic999"))
                .hasMessageContaining("security-policy must be");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h?security-policy=Basic256Sha256&trust-store-file=t.p12"))
                .hasMessageContaining("needs key-store-file");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h?security-policy=Basic256Sha256&key-store-file=k.p12"))
                .hasMessageContaining("needs trust-store-file").hasMessageContaining("any server certificate");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h?message-security=SIGN"))
                .hasMessageContaining("needs a security-policy");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h?security-policy=Basic256Sha256&message-security=NONE"
                + "&key-store-file=k&trust-store-file=t")).hasMessageContaining("SIGN or SIGN_ENCRYPT");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h?password=x")).hasMessageContaining("without username");
        assertThatThrownBy(() -> ConnectionSettings.parse("opcua:tcp://h:99999")).hasMessageContaining("port");
    }
}
