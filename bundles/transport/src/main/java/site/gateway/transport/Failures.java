package site.gateway.transport;

import java.security.cert.CertificateException;
import java.util.Locale;

import javax.net.ssl.SSLException;

import site.gateway.support.error.RootCause;

/** Tells what kind of failure an exception from Jetty is. */
final class Failures {
    private Failures() {
    }

    static SSLException tls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    static boolean serverCertificateRejected(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** The server refused our client certificate in the handshake (treated like HTTP 401, §1). */
    static boolean clientCertificateRefused(Throwable t) {
        SSLException ssl = tls(t);
        if (ssl == null || serverCertificateRejected(t) || ssl.getMessage() == null) {
            return false;
        }
        String m = ssl.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("received fatal alert") && (m.contains("bad_certificate") || m.contains("certificate_unknown")
                || m.contains("certificate_required") || m.contains("certificate_revoked") || m.contains("certificate_expired")
                || m.contains("unknown_ca") || m.contains("access_denied"));
    }

    static String describe(Throwable t) {
        return RootCause.describe(t);
    }
}
