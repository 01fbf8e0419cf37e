package site.gateway.sandbox;

import java.math.BigInteger;
import java.time.Instant;

/** TLS parameters of one HTTP request (WebSocket upgrades included) as the sandbox saw them. */
public record TlsObservation(Instant at, String path, String protocol, String cipherSuite,
                             BigInteger clientCertificateSerial, String clientSubject) {
}
