package site.gateway.api.crypto;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by the WMS transport: sends a certificate renewal request (§2.3,
 * {@code POST /api/v1/gateways/{gatewayId}/certificate}) over the current session. The crypto bundle
 * builds the CSR, checks the answer and installs the new pair; the transport only carries it.
 */
@ConsumerType
public interface CsrSubmitter {

    /**
     * Posts a PEM PKCS#10 CSR ({@code Content-Type: application/pkcs10}, bearer token of the session).
     *
     * @return the response body: a PEM certificate chain, new leaf first
     * @throws IOException when there is no session, or the request failed or was refused (non-200)
     */
    String submitCsr(String csrPem) throws IOException;
}
