package site.gateway.storage;

import site.gateway.api.outbox.MessageType;

/**
 * The kind byte stored with every message: an explicit code per {@link MessageType}, so reordering or
 * adding enum constants cannot change what stored bytes mean. The codes equal the ordinals that stores
 * written before explicit codes (format 1) used, so those stores read unchanged. Never change or reuse a
 * code; give a new type the next free one (below {@link Stored#META}).
 */
final class MessageKinds {
    static final byte TELEMETRY = 0;
    static final byte COMMAND_RESULT = 1;
    static final byte ALERT = 2;

    private MessageKinds() {
    }

    static byte code(MessageType type) {
        return switch (type) {
            case TELEMETRY -> TELEMETRY;
            case COMMAND_RESULT -> COMMAND_RESULT;
            case ALERT -> ALERT;
        };
    }

    static MessageType type(byte code) {
        return switch (code) {
            case TELEMETRY -> MessageType.TELEMETRY;
            case COMMAND_RESULT -> MessageType.COMMAND_RESULT;
            case ALERT -> MessageType.ALERT;
            default -> throw new StoreFormatException("unknown message kind " + code + " in the buffer file");
        };
    }
}
