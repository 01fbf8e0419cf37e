package site.gateway.httpstarter;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/** Finds out whether Felix HTTP could bind an endpoint now, by binding it for an instant. */
final class PortProbe {
    private PortProbe() {
    }

    /** Empty when the endpoint can be bound; otherwise why not (e.g. "Address already in use"). */
    static Optional<String> problem(HttpEndpoint endpoint) {
        InetSocketAddress address = endpoint.host().isEmpty()
                ? new InetSocketAddress(endpoint.port())
                : new InetSocketAddress(endpoint.host(), endpoint.port());
        if (address.isUnresolved()) {
            return Optional.empty(); // not a port that is busy: Felix HTTP reports the unknown host itself
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as Jetty binds: a port left in TIME_WAIT counts as free
            socket.bind(address);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }
}
