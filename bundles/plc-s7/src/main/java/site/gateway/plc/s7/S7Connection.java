package site.gateway.plc.s7;

import java.io.IOException;
import java.util.Map;

import site.gateway.support.plcdriver.TagConnection;
import site.gateway.support.plcdriver.TagReadRequest;
import site.gateway.support.plcdriver.TagSyntax;

/**
 * One S7 connection as PLC4X's API shows it: connect, parse tags, read and write. Reads and writes run on the
 * thread that waits for them; subscriptions, browsing and ping are not offered (PLC4X's S7 driver could not
 * subscribe to DB values either: the plc core polls). Not for use by several threads at once: the plc core uses a
 * connection from its PLC's thread only.
 */
final class S7Connection extends TagConnection<S7Address, TagExchanges> {
    private final ConnectionSettings settings;

    S7Connection(ConnectionSettings settings) {
        super(new Names("S7", "S7"), settings.peer(),
                new TagSyntax<>(S7Address.class, S7Address::parse, settings.requestTimeoutMs()));
        this.settings = settings;
    }

    /**
     * Opens the socket, the ISO transport connection and the S7 communication, within the connection string's
     * {@code request-timeout}; interrupting the caller ends it too.
     */
    @Override
    protected TagExchanges open() throws IOException {
        return new TagExchanges(IsoTcpClient.connect(settings), settings);
    }

    TagExchanges exchanges() {
        return session();
    }

    @Override
    protected TagReadRequest.Reader reader(Map<String, S7Address> tags) {
        return new S7Reader(this, tags);
    }

    /** The bytes of a write (S7 is big-endian throughout). */
    @Override
    public byte[] payload(S7Address address, Object[] values) {
        return TagExchanges.payload(address, values);
    }
}
