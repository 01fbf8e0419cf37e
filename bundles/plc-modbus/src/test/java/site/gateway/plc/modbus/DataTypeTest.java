package site.gateway.plc.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each type's bytes, Java type (as PLC4X's values carry them) and range; the four byte orders. */
class DataTypeTest {

    @Test
    void decodesToPlc4xsJavaTypes() {
        byte[] ff = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};
        assertThat(DataType.INT.decode(ff, 0)).isEqualTo((short) -1);
        assertThat(DataType.UINT.decode(ff, 0)).isEqualTo(65535);
        assertThat(DataType.WORD.decode(ff, 0)).isEqualTo(65535);
        assertThat(DataType.DINT.decode(ff, 0)).isEqualTo(-1);
        assertThat(DataType.UDINT.decode(ff, 0)).isEqualTo(4294967295L);
        assertThat(DataType.DWORD.decode(ff, 0)).isEqualTo(4294967295L);
        assertThat(DataType.LINT.decode(ff, 0)).isEqualTo(-2L);
        assertThat(DataType.ULINT.decode(ff, 0)).isEqualTo(new BigInteger("18446744073709551614"));
        assertThat(DataType.SINT.decode(ff, 0)).isEqualTo((byte) -1);
        assertThat(DataType.USINT.decode(ff, 0)).isEqualTo((short) 255);
        assertThat(DataType.BYTE.decode(ff, 0)).isEqualTo((short) 255);
        assertThat(DataType.BOOL.decode(new byte[] {0, 1}, 0)).isEqualTo(true);
        assertThat(DataType.BOOL.decode(new byte[] {1, 0}, 0)).isEqualTo(false);
        assertThat(DataType.REAL.decode(new byte[] {0x41, 0x48, 0, 0}, 0)).isEqualTo(12.5f);
        assertThat(DataType.LREAL.decode(new byte[] {0x40, 0x29, 0, 0, 0, 0, 0, 0}, 0)).isEqualTo(12.5d);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"INT, -32768", "INT, 32767", "UINT, 65535", "DINT, -2147483648", "UDINT, 4294967295", "LINT, -9007199254740991",
            "ULINT, 18446744073709551615", "SINT, -128", "USINT, 255", "WORD, 4660", "DWORD, 305419896", "LWORD, 1"})
    void integersRoundTrip(DataType type, String value) {
        byte[] bytes = new byte[8];
        type.encode(new BigInteger(value), bytes, 0);
        assertThat(new BigInteger(String.valueOf(type.decode(bytes, 0)))).isEqualTo(new BigInteger(value));
    }

    @Test
    void wholeDoublesAreIntegersAndFloatsStayFloats() {
        byte[] bytes = new byte[8];
        DataType.INT.encode(12.0, bytes, 0);
        assertThat(DataType.INT.decode(bytes, 0)).isEqualTo((short) 12);
        DataType.REAL.encode(-0.75, bytes, 0);
        assertThat(DataType.REAL.decode(bytes, 0)).isEqualTo(-0.75f);
        DataType.BOOL.encode(true, bytes, 0);
        assertThat(DataType.BOOL.decode(bytes, 0)).isEqualTo(true);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"INT, 32768", "INT, 1.5", "UINT, -1", "SINT, 128", "UDINT, 4294967296", "ULINT, -1"})
    void refusesWhatTheTypeCannotHold(DataType type, String value) {
        assertThatThrownBy(() -> type.encode(Double.parseDouble(value), new byte[8], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(type.name());
    }

    @Test
    void refusesTheWrongKindOfValue() {
        assertThatThrownBy(() -> DataType.INT.encode("7", new byte[8], 0)).hasMessageContaining("needs a number");
        assertThatThrownBy(() -> DataType.BOOL.encode(2, new byte[8], 0)).hasMessageContaining("BOOL needs true/false");
    }

    @Test
    void byteOrdersReorderTheRegistersOfAValue() {
        assertThat(reordered(PayloadByteOrder.BIG_ENDIAN)).containsExactly(1, 2, 3, 4);
        assertThat(reordered(PayloadByteOrder.LITTLE_ENDIAN)).containsExactly(4, 3, 2, 1);
        assertThat(reordered(PayloadByteOrder.BIG_ENDIAN_BYTE_SWAP)).containsExactly(2, 1, 4, 3);
        assertThat(reordered(PayloadByteOrder.LITTLE_ENDIAN_BYTE_SWAP)).containsExactly(3, 4, 1, 2);
    }

    private static byte[] reordered(PayloadByteOrder order) {
        byte[] bytes = {9, 1, 2, 3, 4, 9};
        order.toBigEndian(bytes, 1, 4);
        assertThat(bytes[0]).isEqualTo((byte) 9);
        assertThat(bytes[5]).isEqualTo((byte) 9);
        return java.util.Arrays.copyOfRange(bytes, 1, 5);
    }
}
