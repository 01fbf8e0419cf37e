package site.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import site.gateway.api.outbox.MessageType;

class MessageKindsTest {
    /** The codes on disk: the ordinals stores of format 1 wrote. Changing one misreads operators' stores. */
    @Test
    void everyTypeHasItsFixedCode() {
        assertThat(MessageKinds.code(MessageType.TELEMETRY)).isEqualTo((byte) 0);
        assertThat(MessageKinds.code(MessageType.COMMAND_RESULT)).isEqualTo((byte) 1);
        assertThat(MessageKinds.code(MessageType.ALERT)).isEqualTo((byte) 2);
    }

    @Test
    void everyTypeReadsBackFromItsCode() {
        for (MessageType type : MessageType.values()) {
            assertThat(MessageKinds.type(MessageKinds.code(type))).isEqualTo(type);
        }
    }

    @Test
    void anUnknownCodeIsAFormatErrorNamingTheCode() {
        assertThatThrownBy(() -> MessageKinds.type((byte) 7))
                .isInstanceOf(StoreFormatException.class)
                .hasMessageContaining("unknown message kind 7");
    }
}
