package site.gateway.plc.s7;

import java.io.IOException;

/** An answer that breaks ISO-on-TCP or S7comm: the connection is closed, as its byte stream can no longer be trusted. */
final class S7ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    S7ProtocolException(String message) {
        super(message);
    }
}
