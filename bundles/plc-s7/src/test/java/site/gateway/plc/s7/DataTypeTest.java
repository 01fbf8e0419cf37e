package site.gateway.plc.s7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataTypeTest {

    @Test
    void decodesBigEndianWithPlc4xsJavaTypes() {
        byte[] b = HexFormat.of().parseHex("fb2e");
        assertThat(DataType.INT.decode(b, 0, 0)).isEqualTo((short) -1234);
        assertThat(DataType.UINT.decode(b, 0, 0)).isEqualTo(0xFB2E);
        assertThat(DataType.WORD.decode(b, 0, 0)).isEqualTo(0xFB2E);
        assertThat(DataType.SINT.decode(b, 0, 0)).isEqualTo((byte) -5);
        assertThat(DataType.USINT.decode(b, 0, 0)).isEqualTo((short) 0xFB);
        assertThat(DataType.BYTE.decode(b, 0, 0)).isEqualTo((short) 0xFB);
        byte[] d = HexFormat.of().parseHex("ffffffff41ac0000");
        assertThat(DataType.DINT.decode(d, 0, 0)).isEqualTo(-1);
        assertThat(DataType.UDINT.decode(d, 0, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(DataType.DWORD.decode(d, 0, 0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(DataType.REAL.decode(d, 4, 0)).isEqualTo(21.5f);
        assertThat(DataType.LINT.decode(d, 0, 0)).isEqualTo(0xFFFF_FFFF_41AC_0000L);
        assertThat(DataType.ULINT.decode(d, 0, 0)).isEqualTo(new BigInteger("ffffffff41ac0000", 16));
        assertThat(DataType.LREAL.decode(HexFormat.of().parseHex("4035800000000000"), 0, 0)).isEqualTo(21.5);
        assertThat(DataType.CHAR.decode(new byte[] {'A'}, 0, 0)).isEqualTo("A");
    }

    @Test
    void bitsCountFromTheLowestBitOfTheFirstByteOn() {
        byte[] b = {(byte) 0b1000_0001, 0b0000_0010};
        assertThat(DataType.bit(b, 0, 0)).isTrue();
        assertThat(DataType.bit(b, 0, 6)).isFalse();
        assertThat(DataType.bit(b, 0, 7)).isTrue();
        assertThat(DataType.bit(b, 0, 9)).isTrue();
        assertThat(DataType.bit(b, 1, 1)).isTrue();
    }

    @Test
    void stringsReadNoMoreThanTheirActualLengthMaximumOrDeclaredLength() {
        byte[] s = {10, 3, 'a', 'b', 'c', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
        assertThat(DataType.STRING.decode(s, 0, 10)).isEqualTo("abc");
        byte[] lying = {4, 9, 'a', 'b', 'c', 'd', 'e', 'f'};
        assertThat(DataType.STRING.decode(lying, 0, 6)).isEqualTo("abcd");
        assertThat(DataType.STRING.decode(lying, 0, 2)).isEqualTo("ab");
        byte[] latin1 = {4, 2, (byte) 0xE9, 't', 0, 0};
        assertThat(DataType.STRING.decode(latin1, 0, 4)).isEqualTo("ét");
    }

    @Test
    void encodesWhatItDecodes() {
        byte[] b = new byte[8];
        for (Object[] c : new Object[][] {{DataType.INT, (short) -300}, {DataType.UINT, 65535}, {DataType.DINT, -70_000},
                {DataType.UDINT, 4_000_000_000L}, {DataType.REAL, 1.5f}, {DataType.LREAL, -2.25}, {DataType.LINT, Long.MIN_VALUE},
                {DataType.ULINT, new BigInteger("18446744073709551615")}, {DataType.SINT, (byte) -128}, {DataType.USINT, (short) 255},
                {DataType.BOOL, true}, {DataType.CHAR, "z"}}) {
            DataType type = (DataType) c[0];
            type.encode(c[1], b, 0, 0);
            assertThat(type.decode(b, 0, 0)).as(type.name()).isEqualTo(c[1]);
        }
        byte[] s = new byte[12];
        DataType.STRING.encode("bay-7", s, 0, 10);
        assertThat(HexFormat.of().formatHex(s, 0, 7)).isEqualTo("0a05" + HexFormat.of().formatHex("bay-7".getBytes()));
        assertThat(DataType.STRING.decode(s, 0, 10)).isEqualTo("bay-7");
    }

    @Test
    void wholeDoublesAndLongsGoToIntegerTypes() {
        byte[] b = new byte[4];
        DataType.DINT.encode(70000.0, b, 0, 0);
        assertThat(DataType.DINT.decode(b, 0, 0)).isEqualTo(70000);
        DataType.INT.encode(7L, b, 0, 0);
        assertThat(DataType.INT.decode(b, 0, 0)).isEqualTo((short) 7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INT   | 40000 | outside the range of INT",
        "USINT | -1    | outside the range of USINT",
        "DINT  | 1.5   | needs a whole number",
        "BOOL  | 2     | BOOL needs true/false",
    })
    void refusesNumbersTheTypeCannotHold(DataType type, double value, String reason) {
        Object number = value == Math.rint(value) ? (Object) (long) value : (Object) value;
        assertThatThrownBy(() -> type.encode(number, new byte[8], 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesStringsThatDoNotFit() {
        assertThatThrownBy(() -> DataType.STRING.encode("too long", new byte[8], 0, 4)).hasMessageContaining("longer than the STRING(4)");
        assertThatThrownBy(() -> DataType.STRING.encode("€", new byte[8], 0, 4)).hasMessageContaining("ISO 8859-1");
        assertThatThrownBy(() -> DataType.STRING.encode(5, new byte[8], 0, 4)).hasMessageContaining("needs a string");
        assertThatThrownBy(() -> DataType.CHAR.encode("ab", new byte[8], 0, 0)).hasMessageContaining("exactly one character");
        assertThatThrownBy(() -> DataType.INT.encode("5", new byte[8], 0, 0)).hasMessageContaining("needs a number");
    }
}
