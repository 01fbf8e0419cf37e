package site.gateway.plc.s7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class S7AddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%DB1.DBX0.0:BOOL       | DATA_BLOCKS | 1  | 0   | 0 | BOOL   | 1 | 0   | 1",
        "%DB1.DBX3.7:BOOL       | DATA_BLOCKS | 1  | 3   | 7 | BOOL   | 1 | 0   | 1",
        "%DB1.DBW2:INT          | DATA_BLOCKS | 1  | 2   | 0 | INT    | 1 | 0   | 2",
        "%DB1.DBD4:DINT         | DATA_BLOCKS | 1  | 4   | 0 | DINT   | 1 | 0   | 4",
        "%DB1.DBD8:REAL         | DATA_BLOCKS | 1  | 8   | 0 | REAL   | 1 | 0   | 4",
        "%DB1.DBB12:STRING(10)  | DATA_BLOCKS | 1  | 12  | 0 | STRING | 1 | 10  | 12",
        "%DB1:12:STRING(20)     | DATA_BLOCKS | 1  | 12  | 0 | STRING | 1 | 20  | 22",
        "%DB7:4:DINT            | DATA_BLOCKS | 7  | 4   | 0 | DINT   | 1 | 0   | 4",
        "%DB2:30:STRING         | DATA_BLOCKS | 2  | 30  | 0 | STRING | 1 | 254 | 256",
        "%DB3.DBX0:LREAL        | DATA_BLOCKS | 3  | 0   | 0 | LREAL  | 1 | 0   | 8",
        "%DB1:20:INT[4]         | DATA_BLOCKS | 1  | 20  | 0 | INT    | 4 | 0   | 8",
        "%DB1.DBX1.6:BOOL[4]    | DATA_BLOCKS | 1  | 1   | 6 | BOOL   | 4 | 0   | 2",
        "%DB1.DBB0:byte         | DATA_BLOCKS | 1  | 0   | 0 | BYTE   | 1 | 0   | 1",
        "%M10.3:BOOL            | FLAGS       | 0  | 10  | 3 | BOOL   | 1 | 0   | 1",
        "%MW4:WORD              | FLAGS       | 0  | 4   | 0 | WORD   | 1 | 0   | 2",
        "%IW4:INT               | INPUTS      | 0  | 4   | 0 | INT    | 1 | 0   | 2",
        "%E0.1:BOOL             | INPUTS      | 0  | 0   | 1 | BOOL   | 1 | 0   | 1",
        "%Q0:BYTE               | OUTPUTS     | 0  | 0   | 0 | BYTE   | 1 | 0   | 1",
        "%AD8:UDINT             | OUTPUTS     | 0  | 8   | 0 | UDINT  | 1 | 0   | 4",
    })
    void parsesPlc4xsForms(String text, Area area, int db, int offset, int bit, DataType type, int count, int length, int bytes) {
        S7Address a = S7Address.parse(text);

        assertThat(a.area()).isEqualTo(area);
        assertThat(a.db()).isEqualTo(db);
        assertThat(a.offset()).isEqualTo(offset);
        assertThat(a.bit()).isEqualTo(bit);
        assertThat(a.type()).isEqualTo(type);
        assertThat(a.count()).isEqualTo(count);
        assertThat(a.length()).isEqualTo(length);
        assertThat(a.byteLength()).isEqualTo(bytes);
        assertThat(a.getAddressString()).isEqualTo(text);
    }

    @Test
    void arraysHaveOneZeroBasedDimension() {
        assertThat(S7Address.parse("%DB1:20:INT[4]").getArrayInfo()).singleElement()
                .satisfies(d -> assertThat(d.getUpperBound()).isEqualTo(3));
        assertThat(S7Address.parse("%DB1:20:INT").getArrayInfo()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%DB1.DBD0:TIME        | data type TIME of '%DB1.DBD0:TIME' is not supported by the gateway's S7 driver",
        "%DB1:0:WSTRING(10)    | data type WSTRING",
        "%DB1.DBW0:S5TIME      | data type S5TIME",
        "%DB1.DBW0:DATE        | data type DATE",
        "%DB1.DBW0:FLOAT       | unknown S7 data type FLOAT",
        "%DB1.DBW0:DINT        | transfer size W does not match DINT",
        "%DB1.DBX0:INT         | transfer size X does not match INT",
        "%DB1.DBW0.1:INT       | only a BOOL has a bit offset",
        "%DB1:0:INT(4)         | only a STRING has a length",
        "%DB1:0:STRING(255)    | STRING length",
        "%DB0:0:INT            | data block number",
        "%DB1:0:INT[0]         | array size",
        "%X0:INT               | not an S7 address",
        "DB1.DBW0:INT          | not an S7 address",
        "%DB1.DBW0             | not an S7 address",
    })
    void refusesWhatItCannotReadWithTheReason(String text, String reason) {
        assertThatThrownBy(() -> S7Address.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%DB1.DBB0:STRING(4)", "%DB1.DBW0:STRING(4)", "%DB1:0:CHAR[3]", "%DB1.DBB0:CHAR", "%DB1.DBX0:LWORD"})
    void stringsAndEightByteTypesGoWithAnyTransferSizeLetter(String text) {
        assertThat(S7Address.parse(text).text()).isEqualTo(text);
    }
}
