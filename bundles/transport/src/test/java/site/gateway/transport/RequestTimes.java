package site.gateway.transport;

import java.time.Duration;
import java.util.List;

import site.gateway.sandbox.TlsObservation;
import site.gateway.sandbox.WmsSandbox;

/**
 * Gaps between requests as the sandbox timed their arrival. A wait the gateway keeps between two requests
 * is measured there, not by a test thread that notices each request late on a busy machine.
 */
final class RequestTimes {
    private RequestTimes() {
    }

    /** Time from the {@code index}-th request on {@code path} (0-based) to the next one. */
    static Duration gapAfter(WmsSandbox wms, String path, int index) {
        List<TlsObservation> requests = wms.tlsObservations().stream().filter(o -> o.path().equals(path)).toList();
        return Duration.between(requests.get(index).at(), requests.get(index + 1).at());
    }

    static String registerPath() {
        return "/api/v1/gateways/register";
    }

    static String websocketPath(WmsSandbox wms) {
        return wms.websocketUrl(TestGateway.GATEWAY).getPath();
    }
}
