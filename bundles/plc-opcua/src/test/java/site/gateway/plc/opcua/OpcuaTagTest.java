package site.gateway.plc.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.apache.plc4x.java.api.types.PlcValueType;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.junit.jupiter.api.Test;

/** PLC4X's OPC UA tag addresses: a node id, then the type after the last ';'. */
class OpcuaTagTest {
    @Test
    void stringNumericGuidAndOpaqueIdsWithAType() {
        OpcuaTag s = OpcuaTag.parse("ns=2;s=load;INT");
        assertThat(s.nodeId()).isEqualTo(new NodeId(2, "load"));
        assertThat(s.type()).isEqualTo(WriteType.INT);
        assertThat(s.getPlcValueType()).isEqualTo(PlcValueType.INT);
        assertThat(s.getAddressString()).isEqualTo("ns=2;s=load;INT");

        assertThat(OpcuaTag.parse("ns=2;i=123;REAL").nodeId()).isEqualTo(new NodeId(2, UInteger.valueOf(123)));
        assertThat(OpcuaTag.parse("ns=3;g=09087e75-8e5e-499b-954f-f2a9603db28a;BOOL").nodeId())
                .isEqualTo(new NodeId(3, UUID.fromString("09087e75-8e5e-499b-954f-f2a9603db28a")));
        assertThat(OpcuaTag.parse("ns=1;b=AQID;DINT").nodeId().getIdentifier().toString()).contains("1, 2, 3");
        assertThat(OpcuaTag.parse("i=2258").nodeId()).isEqualTo(new NodeId(0, UInteger.valueOf(2258)));
    }

    @Test
    void theTypeIsOptionalForReadsAndAnyCase() {
        OpcuaTag untyped = OpcuaTag.parse("ns=2;s=pallet");
        assertThat(untyped.type()).isNull();
        assertThat(untyped.getPlcValueType()).isEqualTo(PlcValueType.NULL);
        assertThat(OpcuaTag.parse("ns=2;s=pallet;string").type()).isEqualTo(WriteType.STRING);
    }

    @Test
    void aStringIdentifierMayHoldSemicolons() {
        assertThat(OpcuaTag.parse("ns=2;s=Line1;Motor;DINT").nodeId()).isEqualTo(new NodeId(2, "Line1;Motor"));
        OpcuaTag noType = OpcuaTag.parse("ns=2;s=Line1;Motor");
        assertThat(noType.nodeId()).isEqualTo(new NodeId(2, "Line1;Motor"));
        assertThat(noType.type()).isNull();
    }

    @Test
    void whatIsNotANodeIdIsRefused() {
        assertThatThrownBy(() -> OpcuaTag.parse("holding-register:1")).hasMessageContaining("not an OPC UA node id");
        assertThatThrownBy(() -> OpcuaTag.parse("ns=x;s=a")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> OpcuaTag.parse("ns=2;i=abc;INT")).hasMessageContaining("bad i= identifier");
        assertThatThrownBy(() -> OpcuaTag.parse("ns=2;i=12;FANCY")).hasMessageContaining("not a type");
        assertThatThrownBy(() -> OpcuaTag.parse("ns=2;s=;INT")).hasMessageContaining("empty identifier");
    }
}
