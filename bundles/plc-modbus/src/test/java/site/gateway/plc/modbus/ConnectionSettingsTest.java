package site.gateway.plc.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PLC4X's Modbus TCP connection strings, as sites have them. */
class ConnectionSettingsTest {

    @Test
    void defaultsAreThoseOfPlc4x() {
        ConnectionSettings s = ConnectionSettings.parse("modbus-tcp://10.0.0.5");

        assertThat(s).isEqualTo(new ConnectionSettings("10.0.0.5", 502, 1, 5000, PayloadByteOrder.BIG_ENDIAN, 125, 2000));
    }

    @Test
    void optionsAndExplicitTransport() {
        ConnectionSettings s = ConnectionSettings.parse("modbus-tcp:tcp://plc-7.site:1502?unit-identifier=17"
                + "&request-timeout=800&default-payload-byte-order=little_endian_byte_swap&max-registers-per-request=60"
                + "&max-coils-per-request=100&tcp.keep-alive=true");

        assertThat(s).isEqualTo(new ConnectionSettings("plc-7.site", 1502, 17, 800, PayloadByteOrder.LITTLE_ENDIAN_BYTE_SWAP, 60, 100));
        assertThat(s.peer()).isEqualTo("plc-7.site:1502 unit 17");
        assertThat(ConnectionSettings.parse("modbus-tcp://[::1]:502/").host()).isEqualTo("::1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"s7://10.0.0.6", "modbus-tcp:/10.0.0.5", "modbus-tcp://10.0.0.5:0", "modbus-tcp://10.0.0.5:70000",
            "modbus-tcp://10.0.0.5?unit-identifier=256", "modbus-tcp://10.0.0.5?request-timeout=soon",
            "modbus-tcp://10.0.0.5?default-payload-byte-order=MIDDLE", "modbus-tcp://10.0.0.5?max-registers-per-request=126"})
    void refusesWithTheReason(String connection) {
        assertThatThrownBy(() -> ConnectionSettings.parse(connection)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }
}
