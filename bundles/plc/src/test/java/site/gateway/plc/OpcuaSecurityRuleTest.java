package site.gateway.plc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An OPC UA connection with a security policy but no trust store is a configuration error, not a trust-all. */
class OpcuaSecurityRuleTest {
    @TempDir
    Path dir;

    private static PlcSettings parse(String connection) {
        Map<String, Object> raw = TestPlc.config("plcId", "ua", "connection", connection, "tags", "a=ns=2;s=a");
        return PlcSettings.parse(TestPlc.convert(raw), raw);
    }

    @Test
    void aSecurityPolicyWithoutATrustStoreIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> parse("opcua:tcp://10.0.0.7:4840/plc?security-policy=Basic256Sha256&message-security=SIGN_ENCRYPT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("security-policy=Basic256Sha256 needs trust-store-file")
                .hasMessageContaining("accept any server certificate");
    }

    @Test
    void aTrustStoreThatIsNotThereIsRefused() {
        assertThatThrownBy(() -> parse("opcua:tcp://10.0.0.7:4840/plc?security-policy=Basic256Sha256&trust-store-file=" + dir.resolve("missing.p12")))
                .hasMessageContaining("does not exist");
    }

    @Test
    void noSecurityOrATrustStoreIsAccepted() throws Exception {
        Path store = Files.createFile(dir.resolve("trust.p12"));
        assertThat(parse("opcua:tcp://10.0.0.7:4840/plc").driverCode()).isEqualTo("opcua");
        assertThat(parse("opcua:tcp://10.0.0.7:4840/plc?security-policy=NONE").driverCode()).isEqualTo("opcua");
        assertThat(parse("opcua:tcp://10.0.0.7:4840/plc?security-policy=Basic256Sha256&trust-store-file=" + store).driverCode())
                .isEqualTo("opcua");
    }
}
