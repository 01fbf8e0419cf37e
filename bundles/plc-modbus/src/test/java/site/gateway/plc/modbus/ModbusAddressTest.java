package site.gateway.plc.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.plc4x.java.api.types.PlcValueType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address forms of PLC4X 0.13.1's Modbus driver that site configurations use. */
class ModbusAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "holding-register:1:INT, HOLDING_REGISTER, 0, INT, 1",
            "holding-register:5, HOLDING_REGISTER, 4, INT, 1",
            "holding-register:10:REAL[4], HOLDING_REGISTER, 9, REAL, 4",
            "4x00001:UDINT, HOLDING_REGISTER, 0, UDINT, 1",
            "400017, HOLDING_REGISTER, 16, INT, 1",
            "input-register:3:UINT, INPUT_REGISTER, 2, UINT, 1",
            "3x00002:DINT[2], INPUT_REGISTER, 1, DINT, 2",
            "coil:1, COIL, 0, BOOL, 1",
            "coil:9:BOOL[16], COIL, 8, BOOL, 16",
            "000012, COIL, 11, BOOL, 1",
            "discrete-input:2, DISCRETE_INPUT, 1, BOOL, 1",
            "1x00004, DISCRETE_INPUT, 3, BOOL, 1",
            "holding-register:65535:WORD, HOLDING_REGISTER, 65534, WORD, 1"})
    void parsesEveryForm(String text, Area area, int offset, DataType type, int quantity) {
        ModbusAddress address = ModbusAddress.parse(text);

        assertThat(address.area()).isEqualTo(area);
        assertThat(address.offset()).isEqualTo(offset);
        assertThat(address.type()).isEqualTo(type);
        assertThat(address.quantity()).isEqualTo(quantity);
        assertThat(address.getAddressString()).isEqualTo(text);
        assertThat(address.getPlcValueType()).isEqualTo(PlcValueType.valueOf(type.name()));
        assertThat(address.getArrayInfo()).hasSize(quantity == 1 ? 0 : 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no-such-area:1", "holding-register:0", "holding-register:65536", "holding-register:1:FOO",
            "holding-register:1:STRING", "coil:1:INT", "holding-register:1:REAL[63]", "holding-register:65535:DINT",
            "holding-register:1:INT[0]", "coil:1[2001]", "holding-register:", "%DB1.DBW2:INT", "4x1"})
    void refusesWhatItCannotRead(String text) {
        assertThatThrownBy(() -> ModbusAddress.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"holding-register:1:REAL[62], 124", "holding-register:1:LREAL[31], 124", "coil:1[2000], 2000",
            "input-register:1:DINT, 2"})
    void unitsAreRegistersOrBits(String text, int units) {
        assertThat(ModbusAddress.parse(text).units()).isEqualTo(units);
    }
}
