package site.gateway.plc.s7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionSettingsTest {

    @Test
    void plc4xsDefaults() {
        ConnectionSettings s = ConnectionSettings.parse("s7://10.0.0.6");
        assertThat(s.host()).isEqualTo("10.0.0.6");
        assertThat(s.port()).isEqualTo(102);
        assertThat(s.localTsap()).isEqualTo(0x0311);
        assertThat(s.remoteTsap()).isEqualTo(0x0100);
        assertThat(s.pduSize()).isEqualTo(1024);
        assertThat(s.maxAmqCaller()).isEqualTo(8);
        assertThat(s.maxAmqCallee()).isEqualTo(8);
        assertThat(s.requestTimeoutMs()).isEqualTo(5000);
    }

    @Test
    void rackAndSlotMakeTheTsapsAsPlc4xEncodesThem() {
        ConnectionSettings s = ConnectionSettings.parse("s7://plc-3:1102?remote-rack=0&remote-slot=2&controller-type=S7_300&local-rack=0&local-slot=2");
        assertThat(s.port()).isEqualTo(1102);
        assertThat(s.remoteTsap()).isEqualTo(0x0102);
        assertThat(s.localTsap()).isEqualTo(0x0302);
        assertThat(s.controllerType()).isEqualTo("S7_300");
        assertThat(ConnectionSettings.parse("s7://x?remote-rack=1&remote-slot=3").remoteTsap()).isEqualTo(0x0113);
        assertThat(ConnectionSettings.parse("s7:tcp://x?remote-tsap=0x0201&local-tsap=256").remoteTsap()).isEqualTo(0x0201);
        assertThat(ConnectionSettings.parse("s7:tcp://x?remote-tsap=0x0201&local-tsap=256").localTsap()).isEqualTo(0x0100);
    }

    @Test
    void plc4xsOtherOptionsAreAcceptedAndIgnored() {
        ConnectionSettings s = ConnectionSettings.parse("s7://[::1]?pdu-size=480&read-timeout=8&ping=true&retry-time=4&request-timeout=700");
        assertThat(s.host()).isEqualTo("::1");
        assertThat(s.pduSize()).isEqualTo(480);
        assertThat(s.requestTimeoutMs()).isEqualTo(700);
    }

    @ParameterizedTest
    @ValueSource(strings = {"modbus-tcp://10.0.0.6", "s7:/10.0.0.6", "s7://10.0.0.6:0", "s7://x?remote-slot=16",
        "s7://x?remote-rack=a", "s7://x?pdu-size=100", "s7://x?request-timeout=0"})
    void refusesWhatItCannotUseWithTheReason(String connection) {
        assertThatThrownBy(() -> ConnectionSettings.parse(connection)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching(".*(not an S7 connection string|must be).*");
    }
}
